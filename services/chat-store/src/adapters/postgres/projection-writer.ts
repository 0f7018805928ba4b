import { compileOnce } from '@threadline/postgres';
import { type Kysely, type OperationNode, type Selectable, sql } from 'kysely';
import type { ChatBatch, ProjectionOutcome, ProjectionStore } from '../../application/ports.ts';
import {
  eventsTouchedBy,
  type ProjectionChanges,
  projectBatch,
  threadsTouchedBy,
} from '../../domain/projections/batch.projection.ts';
import type { ChatsTable, Database, EventsTable, ThreadsTable } from './database.ts';
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
      const { rows } = await projectedVersionQuery(db, organizationId, chatId);
      return rows[0]?.version ?? 0;
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

/**
 * Applies one batch within a transaction the caller holds (see `createProjectionWriter`), in two
 * statements for a chat that exists: one reads what the batch changes, one writes it (it was
 * seven round trips with BEGIN and COMMIT, and the inline projection delays every push).
 */
export async function applyBatch(
  trx: Kysely<Database>,
  batch: ChatBatch,
): Promise<ProjectionOutcome> {
  const touched = threadsTouchedBy(batch.events);
  const changedEvents = eventsTouchedBy(batch.events);
  let read = await readForBatch(trx, batch, touched, changedEvents);
  // The chat row is locked at its latest version, the threads and events are read in the
  // statement's snapshot: older when the lock waited for another writer's commit. Holding the
  // lock, a second read sees that commit (every writer changes the chat row with the rest).
  if (read.chat?.version !== read.seenVersion)
    read = await readForBatch(trx, batch, touched, changedEvents);
  const current = read.chat;
  const stored = current?.version ?? 0;
  if (batch.version <= stored) return 'skipped';
  if (batch.version !== stored + 1) return 'gap';
  const before = current && toChatRow(current);
  const changes = projectBatch(
    {
      chat: before,
      threads: read.threads.map(toThreadRow),
      events: read.events.map(toEventRow),
    },
    batch.version,
    batch.events,
  );
  // A batch that yields no chat (corrupt stream) has nothing to write; it must not block the rest.
  if (!changes) return 'skipped';
  const listedUserIds = new Set(before?.users.map((user) => user.id));
  if (current) {
    await writeAll(trx, [updateChat(trx, changes), ...restOf(trx, changes, listedUserIds)]);
    return 'applied';
  }
  if (!(await insertChat(trx, changes))) return 'skipped';
  await writeAll(trx, restOf(trx, changes, listedUserIds));
  return 'applied';
}

interface BatchRead {
  /** The chat row, locked (`FOR UPDATE`) at its latest committed version. */
  chat: Selectable<ChatsTable> | undefined;
  /** The chat's version in the statement's snapshot. */
  seenVersion: number | undefined;
  threads: Selectable<ThreadsTable>[];
  events: Selectable<EventsTable>[];
}

/** The projector asks it for every batch, on every replica. */
const projectedVersionQuery = compileOnce(
  (db: Kysely<Database>, organizationId: string, chatId: string) =>
    db
      .selectFrom('chats')
      .select('version')
      .where('organization_id', '=', organizationId)
      .where('id', '=', chatId),
);

/**
 * The chat row and the threads and events the batch changes, in one statement (rows as JSON),
 * compiled once: every projected batch runs it.
 */
const readForBatchQuery = compileOnce(
  (
    _db: Kysely<Database>,
    organizationId: string,
    chatId: string,
    threadIds: string[],
    eventIds: string[],
  ) =>
    sql<{
      chat: Selectable<ChatsTable> | null;
      seen_version: number | null;
      threads: Selectable<ThreadsTable>[];
      events: Selectable<EventsTable>[];
    }>`SELECT
      (SELECT to_jsonb(c) FROM chats c
        WHERE c.organization_id = ${organizationId} AND c.id = ${chatId} FOR UPDATE) AS chat,
      (SELECT s.version FROM chats s
        WHERE s.organization_id = ${organizationId} AND s.id = ${chatId}) AS seen_version,
      (SELECT coalesce(jsonb_agg(to_jsonb(t)), '[]') FROM threads t
        WHERE t.organization_id = ${organizationId} AND t.chat_id = ${chatId}
          AND t.id = ANY(${threadIds}::text[])) AS threads,
      (SELECT coalesce(jsonb_agg(to_jsonb(e) - 'search_vector'), '[]') FROM events e
        WHERE e.organization_id = ${organizationId} AND e.chat_id = ${chatId}
          AND e.id = ANY(${eventIds}::text[])) AS events`,
);

async function readForBatch(
  trx: Kysely<Database>,
  batch: ChatBatch,
  threadIds: string[],
  eventIds: string[],
): Promise<BatchRead> {
  const { rows } = await readForBatchQuery(
    trx,
    batch.organizationId,
    batch.chatId,
    threadIds,
    eventIds,
  );
  const row = rows[0]!;
  return {
    chat: row.chat ?? undefined,
    seenVersion: row.seen_version ?? undefined,
    threads: row.threads,
    events: row.events,
  };
}

type Write = { toOperationNode(): OperationNode };

/** The writes as one statement: data-modifying CTEs, each run once, all or none. */
async function writeAll(trx: Kysely<Database>, writes: Write[]): Promise<void> {
  if (writes.length === 0) return;
  const ctes = writes.map((write, index) => sql`${sql.raw(`w${index}`)} AS (${write})`);
  await sql`WITH ${sql.join(ctes)} SELECT 1`.execute(trx);
}

function updateChat(trx: Kysely<Database>, changes: ProjectionChanges): Write {
  const { organization_id, id, ...fields } = fromChatRow(changes.chat);
  return trx
    .updateTable('chats')
    .set(fields)
    .where('organization_id', '=', organization_id)
    .where('id', '=', id);
}

/**
 * Inserts a new chat's row. Two writers may both see no row for version 1; the second insert
 * waits for the first to commit and then does nothing: the batch is applied already.
 */
async function insertChat(trx: Kysely<Database>, changes: ProjectionChanges): Promise<boolean> {
  const inserted = await trx
    .insertInto('chats')
    .values(fromChatRow(changes.chat))
    .onConflict((conflict) => conflict.columns(['organization_id', 'id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/**
 * The threads, events and chat users the batch writes. `listedUserIds`: the users of the chat
 * row before the batch, in chat_users already (it is written with the chat row and never
 * pruned), so that most batches, which add nobody, write no chat_users row.
 */
function restOf(
  trx: Kysely<Database>,
  changes: ProjectionChanges,
  listedUserIds: ReadonlySet<string>,
): Write[] {
  const { chat } = changes;
  const writes: Write[] = [];
  const newUsers = chat.users.filter((user) => !listedUserIds.has(user.id));
  if (changes.threads.length) {
    writes.push(
      trx
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
        ),
    );
  }
  if (changes.events.length) {
    writes.push(
      trx
        .insertInto('events')
        .values(changes.events.map(fromEventRow))
        .onConflict((conflict) =>
          conflict.columns(['organization_id', 'chat_id', 'id']).doUpdateSet((excluded) => ({
            deleted: excluded.ref('excluded.deleted'),
            body: excluded.ref('excluded.body'),
          })),
        ),
    );
  }
  if (newUsers.length) {
    writes.push(
      trx
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
        ),
    );
  }
  return writes;
}
