import { type Kysely, sql } from 'kysely';
import type { ChatBatch, ProjectionOutcome, ProjectionStore } from '../../application/ports.ts';
import {
  eventsTouchedBy,
  type ProjectionChanges,
  projectBatch,
  threadsTouchedBy,
} from '../../domain/projections/batch.projection.ts';
import type { Database } from './database.ts';
import {
  fromChatRow,
  fromEventRow,
  fromThreadRow,
  toChatRow,
  toEventRow,
  toThreadRow,
} from './row-mapping.ts';

/**
 * Applies batches to the projection tables, one transaction per batch, exactly once and in
 * order per chat: the chat row's version is the checkpoint. A batch at or below it is skipped
 * (a redelivery, or the inline projection got there first); one beyond the next is a gap, left
 * for redelivery. The chat row is locked first, so the projector and the inline projection of
 * any replica can apply the same chat concurrently.
 *
 * Each batch of a live writer first takes the writers' lock shared: a projection rebuild takes
 * it exclusively for the moment it catches up and switches table sets (projection-rebuild.ts).
 * A writer filling tables nobody else writes passes `pausable: false` (the rebuild writes its
 * new set in bulk instead: projection-bulk.ts).
 */
export function createProjectionWriter(
  db: Kysely<Database>,
  options: { pausable?: boolean } = {},
): ProjectionStore & {
  replaceChat(organizationId: string, chatId: string, batches: ChatBatch[]): Promise<void>;
} {
  const pausable = options.pausable ?? true;
  const inTransaction = <T>(work: (trx: Kysely<Database>) => Promise<T>) =>
    pausable ? pausableTransaction(db, work) : db.transaction().execute(work);
  return {
    apply: (batch) => inTransaction((trx) => applyBatch(trx, batch)),
    async projectedVersion(organizationId, chatId) {
      const row = await db
        .selectFrom('chats')
        .select('version')
        .where('organization_id', '=', organizationId)
        .where('id', '=', chatId)
        .executeTakeFirst();
      return row?.version ?? 0;
    },
    /**
     * Replaces one chat's rows with the fold of `batches` (its whole stream, opened), in one
     * transaction: readers see the old chat or the new one, never none.
     */
    async replaceChat(organizationId, chatId, batches) {
      await inTransaction(async (trx) => {
        for (const table of ['events', 'threads', 'chat_users'] as const)
          await trx
            .deleteFrom(table)
            .where('organization_id', '=', organizationId)
            .where('chat_id', '=', chatId)
            .execute();
        await trx
          .deleteFrom('chats')
          .where('organization_id', '=', organizationId)
          .where('id', '=', chatId)
          .execute();
        for (const batch of batches) await applyBatch(trx, batch);
      });
    },
  };
}

/** The advisory lock live writers share per batch and a rebuild's switch holds alone. */
export const writersLockKey = sql`hashtext('chat_store.projection_writers')`;

/**
 * A transaction that holds the writers' lock shared. BEGIN and the lock go in one round trip (a
 * statement without parameters may be several): kysely's transaction() would send BEGIN alone, and
 * every batch projected inline delays its pushes by each round trip.
 */
async function pausableTransaction<T>(
  db: Kysely<Database>,
  work: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (connection) => {
    await sql`BEGIN; SELECT pg_advisory_xact_lock_shared(${writersLockKey})`.execute(connection);
    try {
      const result = await work(connection);
      await sql`COMMIT`.execute(connection);
      return result;
    } catch (error) {
      await sql`ROLLBACK`.execute(connection);
      throw error;
    }
  });
}

/** The chats a user takes part in (or took part in), by the projections. */
export async function chatIdsOfUser(
  db: Kysely<Database>,
  organizationId: string,
  userId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('chat_users')
    .select('chat_id')
    .where('organization_id', '=', organizationId)
    .where('user_id', '=', userId)
    .execute();
  return rows.map((row) => row.chat_id);
}

/** Applies one batch within a transaction the caller holds (see `createProjectionWriter`). */
export async function applyBatch(
  trx: Kysely<Database>,
  batch: ChatBatch,
): Promise<ProjectionOutcome> {
  const current = await trx
    .selectFrom('chats')
    .selectAll()
    .where('organization_id', '=', batch.organizationId)
    .where('id', '=', batch.chatId)
    .forUpdate()
    .executeTakeFirst();
  const stored = current?.version ?? 0;
  if (batch.version <= stored) return 'skipped';
  if (batch.version !== stored + 1) return 'gap';
  const touched = threadsTouchedBy(batch.events);
  const changedEvents = eventsTouchedBy(batch.events);
  const threads = touched.length
    ? await trx
        .selectFrom('threads')
        .selectAll()
        .where('organization_id', '=', batch.organizationId)
        .where('chat_id', '=', batch.chatId)
        .where('id', 'in', touched)
        .execute()
    : [];
  const events = changedEvents.length
    ? await trx
        .selectFrom('events')
        .selectAll()
        .where('organization_id', '=', batch.organizationId)
        .where('chat_id', '=', batch.chatId)
        .where('id', 'in', changedEvents)
        .execute()
    : [];
  const before = current && toChatRow(current);
  const changes = projectBatch(
    {
      chat: before,
      threads: threads.map(toThreadRow),
      events: events.map(toEventRow),
    },
    batch.version,
    batch.events,
  );
  // A batch that yields no chat (corrupt stream) has nothing to write; it must not block the rest.
  if (!changes) return 'skipped';
  if (!(await writeChat(trx, changes, current !== undefined))) return 'skipped';
  await writeRest(trx, changes, new Set(before?.users.map((user) => user.id)));
  return 'applied';
}

/**
 * Inserts or updates the chat row. Two writers may both see no row for version 1; the second
 * insert waits for the first to commit and then does nothing: the batch is applied already.
 */
async function writeChat(
  trx: Kysely<Database>,
  changes: ProjectionChanges,
  exists: boolean,
): Promise<boolean> {
  const row = fromChatRow(changes.chat);
  if (exists) {
    const { organization_id, id, ...fields } = row;
    await trx
      .updateTable('chats')
      .set(fields)
      .where('organization_id', '=', organization_id)
      .where('id', '=', id)
      .execute();
    return true;
  }
  const inserted = await trx
    .insertInto('chats')
    .values(row)
    .onConflict((conflict) => conflict.columns(['organization_id', 'id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/**
 * `listedUserIds`: the users of the chat row before the batch, in chat_users already (it is
 * written with the chat row and never pruned), so that most batches, which add nobody, skip a
 * round trip.
 */
async function writeRest(
  trx: Kysely<Database>,
  changes: ProjectionChanges,
  listedUserIds: ReadonlySet<string>,
): Promise<void> {
  const { chat } = changes;
  const newUsers = chat.users.filter((user) => !listedUserIds.has(user.id));
  if (changes.threads.length) {
    await trx
      .insertInto('threads')
      .values(changes.threads.map(fromThreadRow))
      .onConflict((conflict) =>
        conflict.columns(['organization_id', 'chat_id', 'id']).doUpdateSet((excluded) => ({
          active: excluded.ref('excluded.active'),
          properties: excluded.ref('excluded.properties'),
          access_group_ids: excluded.ref('excluded.access_group_ids'),
          user_ids: excluded.ref('excluded.user_ids'),
          tags: excluded.ref('excluded.tags'),
          summary: excluded.ref('excluded.summary'),
          previous_thread_id: excluded.ref('excluded.previous_thread_id'),
          next_thread_id: excluded.ref('excluded.next_thread_id'),
          events_count: excluded.ref('excluded.events_count'),
        })),
      )
      .execute();
  }
  if (changes.events.length) {
    await trx
      .insertInto('events')
      .values(changes.events.map(fromEventRow))
      .onConflict((conflict) =>
        conflict.columns(['organization_id', 'chat_id', 'id']).doUpdateSet((excluded) => ({
          deleted: excluded.ref('excluded.deleted'),
          body: excluded.ref('excluded.body'),
        })),
      )
      .execute();
  }
  if (newUsers.length) {
    await trx
      .insertInto('chat_users')
      .values(
        newUsers.map((user) => ({
          organization_id: chat.organizationId,
          chat_id: chat.id,
          user_id: user.id,
          user_type: user.type,
        })),
      )
      .onConflict((conflict) =>
        conflict.columns(['organization_id', 'chat_id', 'user_id']).doNothing(),
      )
      .execute();
  }
}
