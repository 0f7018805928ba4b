import { asRecord, type ChatNotification, type ChatSnapshot } from './chat-snapshot.ts';
import type { Registration, SourceType } from './registration.ts';

/** Everything a registration's filters may look at for one notification. */
export interface NotificationFacts extends ChatNotification {
  /** Who caused the batch (`Command.requester`). */
  requester: Requester;
  /** The chat as known after folding this batch; undefined for non-chat actions. */
  chat: ChatSnapshot | undefined;
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
  if (filters.chat_presence?.user_ids && !presenceHolds(filters.chat_presence.user_ids, facts)) {
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

function presenceHolds(
  userIds: { values: string[] } | { exclude_values: string[] },
  facts: NotificationFacts,
): boolean {
  if ('values' in userIds) return facts.recipientUserIds.some((id) => userIds.values.includes(id));
  return !facts.recipientUserIds.some((id) => userIds.exclude_values.includes(id));
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
