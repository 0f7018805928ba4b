import type { BotOwners } from './bot-ownership.ts';
import { asRecord, type ChatNotification, type ChatSnapshot } from './chat-snapshot.ts';
import type { Registration, SourceType } from './registration.ts';

/** Everything a registration's filters may look at for one notification. */
export interface NotificationFacts extends ChatNotification {
  /** Who caused the batch (`Command.requester`). */
  requester: Requester;
  /** The chat as known after folding this batch; undefined for non-chat actions. */
  chat: ChatSnapshot | undefined;
  /**
   * The bots among `recipientUserIds` with their owner clients, for `chat_presence.my_bots`;
   * loaded only when a registration asks for it (none: no bot is known to be present).
   */
  botOwners?: BotOwners | undefined;
}

/**
 * Whether a registration wants this notification: same action, and every filter it set holds.
 * Filters are ANDed, as LiveChat combines them.
 */
export function matchesRegistration(registration: Registration, facts: NotificationFacts): boolean {
  if (registration.action !== facts.action) return false;
  const { filters } = registration;
  if (filters.author_type && authorType(facts) !== filters.author_type) return false;
  if (filters.only_my_chats && !isMyChat(facts.chat, registration.ownerClientId)) return false;
  if (filters.chat_presence && !presenceHolds(filters.chat_presence, registration, facts)) {
    return false;
  }
  const sources = sourceTypes(facts.requester, registration.ownerClientId, chatWithoutClient);
  if (filters.source_type && !sources.some((s) => filters.source_type?.includes(s))) {
    return false;
  }
  if (filters.agent_ids && !filters.agent_ids.includes(String(facts.payload.agent_id))) {
    return false;
  }
  return true;
}

/**
 * The type of the event's author: from the chat's users, else from the requester when they wrote
 * it (bots are agents in the protocol). System messages have no author and match no author_type.
 */
export function authorType(facts: NotificationFacts): 'agent' | 'customer' | undefined {
  const authorId = asRecord(facts.payload.event)?.author_id;
  if (typeof authorId !== 'string') return undefined;
  const known = facts.chat?.userTypes[authorId];
  if (known) return known;
  if (authorId !== facts.requester.userId) return undefined;
  if (facts.requester.userType === 'customer') return 'customer';
  if (facts.requester.userType === 'agent' || facts.requester.userType === 'bot') return 'agent';
  return undefined;
}

function isMyChat(chat: ChatSnapshot | undefined, ownerClientId: string): boolean {
  return chat?.properties?.source?.client_id === ownerClientId;
}

/**
 * `chat_presence`: `user_ids.values` and `my_bots` both name users wanted in the chat, and the
 * chat qualifies when any of them is present (a bot integration registering `my_bots` with a
 * supervisor's id hears of the chats of either); `exclude_values` vetoes a chat whatever else
 * holds. `my_bots` means a bot owned by the registration's `owner_client_id`.
 */
function presenceHolds(
  presence: NonNullable<Registration['filters']['chat_presence']>,
  registration: Pick<Registration, 'ownerClientId'>,
  facts: NotificationFacts,
): boolean {
  const present = facts.recipientUserIds;
  const userIds = presence.user_ids;
  if (userIds && 'exclude_values' in userIds) {
    if (present.some((id) => userIds.exclude_values.includes(id))) return false;
  }
  const listed = userIds && 'values' in userIds ? userIds.values : undefined;
  if (!listed && !presence.my_bots) return true;
  return present.some(
    (id) =>
      listed?.includes(id) ||
      (presence.my_bots === true && facts.botOwners?.get(id) === registration.ownerClientId),
  );
}

/** Who caused a batch or change, as `source_type` and `author_type` see them. */
export interface Requester {
  userId: string;
  userType: string;
  /** The OAuth client of their bearer token; empty (or absent) for PATs and older producers. */
  clientId?: string;
}

/**
 * A chat batch whose requester names no client (a personal access token, or a batch written
 * before requesters carried one) may be this app or another: it counts as both, as we would
 * rather deliver than silently drop.
 */
const chatWithoutClient: readonly SourceType[] = ['my_client', 'other_clients'];

/**
 * The source kinds a requester is for a registration of `ownerClientId` (LiveChat tells apps
 * apart by the token's client): `my_client` for the owner's client, `other_clients` for another;
 * `system` for services acting on their own; `withoutClient` for a user whose token has no client.
 */
export function sourceTypes(
  requester: Pick<Requester, 'userType' | 'clientId'>,
  ownerClientId: string,
  withoutClient: readonly SourceType[],
): readonly SourceType[] {
  if (requester.clientId && requester.clientId === ownerClientId) return ['my_client'];
  if (requester.userType === 'system' || requester.userType === '') return ['system'];
  return requester.clientId ? ['other_clients'] : withoutClient;
}
