import type { Kysely } from 'kysely';
import type { BotOwnershipStore } from '../../application/ports.ts';
import type { BotOwners, BotOwnershipChange } from '../../domain/bot-ownership.ts';
import type { WebhookDatabase } from './database.ts';

type Db = Kysely<WebhookDatabase>;

export function createBotOwnershipStore(db: Db): BotOwnershipStore {
  return { record: (organizationId, change) => recordBotOwnership(db, organizationId, change) };
}

/**
 * One statement per change, each idempotent: a creation never overwrites a row (a replay, or a
 * tombstone left by a deletion that arrived first); a deletion marks the row deleted, creating
 * the tombstone if needed.
 */
export async function recordBotOwnership(
  db: Db,
  organizationId: string,
  change: BotOwnershipChange,
): Promise<void> {
  const key = { organization_id: organizationId, bot_id: change.botId };
  if (change.type === 'bot_created') {
    await db
      .insertInto('bot_owners')
      .values({ ...key, owner_client_id: change.ownerClientId, deleted: false })
      .onConflict((conflict) => conflict.columns(['organization_id', 'bot_id']).doNothing())
      .execute();
    return;
  }
  await db
    .insertInto('bot_owners')
    .values({ ...key, owner_client_id: null, deleted: true })
    .onConflict((conflict) =>
      conflict.columns(['organization_id', 'bot_id']).doUpdateSet({ deleted: true }),
    )
    .execute();
}

/** The live bots among `userIds`, by id, with their owner clients. */
export async function findBotOwners(
  db: Db,
  organizationId: string,
  userIds: readonly string[],
): Promise<BotOwners> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('bot_owners')
    .select(['bot_id', 'owner_client_id'])
    .where('organization_id', '=', organizationId)
    .where('bot_id', 'in', userIds)
    .where('deleted', '=', false)
    .execute();
  return new Map(
    rows.flatMap((row) => (row.owner_client_id ? [[row.bot_id, row.owner_client_id]] : [])),
  );
}
