import { asRecord } from './chat-snapshot.ts';
import type { Registration } from './registration.ts';

/**
 * Which client owns which bot, as `chat_presence.my_bots` needs it. Bots are the gateway's
 * accounts; the webhook service keeps its own projection of them (bot id → owner client), fed by
 * the `bot_created` / `bot_deleted` changes of the configuration stream it already consumes for
 * the bot webhooks, rather than asking the gateway while fanning out: fan-out then needs no other
 * service to be up, and the lookup is a primary-key read in the transaction that plans the batch.
 * A bot's owner is set when it is created and never changes (`update_bot` has no
 * `owner_client_id`), and bot ids are never reused, so the projection needs no positions: a
 * deleted bot leaves a tombstone that a late or replayed `bot_created` cannot bring back.
 */
export type BotOwnershipChange =
  | { type: 'bot_created'; botId: string; ownerClientId: string }
  | { type: 'bot_deleted'; botId: string };

/** The bots among a chat's users, by id, with the client that owns each. */
export type BotOwners = ReadonlyMap<string, string>;

/** What a configuration change tells about bot ownership, if anything. */
export function botOwnershipChange(change: {
  action: string;
  payload: unknown;
  botOwnerClientId?: string | undefined;
}): BotOwnershipChange | undefined {
  const payload = asRecord(change.payload);
  const botId = payload?.id;
  if (typeof botId !== 'string' || botId === '') return undefined;
  if (change.action === 'bot_deleted') return { type: 'bot_deleted', botId };
  // An update names its bot's owner beside the payload: a bot created before this service kept
  // owners (or past the stream's retention) is learnt then. Recorded as a creation, which never
  // overwrites nor revives.
  if (change.action === 'bot_updated' && change.botOwnerClientId) {
    return { type: 'bot_created', botId, ownerClientId: change.botOwnerClientId };
  }
  if (change.action !== 'bot_created') return undefined;
  const owner = payload?.owner_client_id;
  // A bot no client owns (created with a personal access token) is nobody's `my_bots`.
  if (typeof owner !== 'string' || owner === '') return undefined;
  return { type: 'bot_created', botId, ownerClientId: owner };
}

/** Whether any of these registrations asks for `chat_presence.my_bots`: worth a lookup. */
export function wantsMyBots(registrations: readonly Registration[]): boolean {
  return registrations.some((registration) => registration.filters.chat_presence?.my_bots === true);
}
