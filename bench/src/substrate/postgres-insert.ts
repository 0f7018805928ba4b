import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createDatabase, sql } from '@threadline/postgres';
import { createTestDatabase } from '@threadline/testkit';

interface Database {
  events: {
    id: string;
    chat_id: string;
    thread_id: string;
    author_id: string;
    created_at: Date;
    payload: string;
  };
}

/**
 * Raw Postgres insert rate: multi-row INSERTs of `batch` rows shaped like a chat event (ids, time,
 * a JSON payload; a primary key and one secondary index), one connection, until `rows` are in or
 * `seconds` have passed. The database is the run's own and is dropped at the end.
 */
export async function measurePostgresInsert(options: {
  databaseUrl: string;
  rows: number;
  seconds: number;
  batch?: number;
}): Promise<{
  rows: number;
  seconds: number;
  perSecond: number;
  batch: number;
  serverVersion: string;
}> {
  const batch = options.batch ?? 500;
  const database = await createTestDatabase(options.databaseUrl, 'tl_bench');
  const db = createDatabase<Database>({ url: database.url, schema: 'public', poolSize: 1 });
  try {
    await sql`CREATE TABLE events (
      id uuid PRIMARY KEY, chat_id text NOT NULL, thread_id text NOT NULL, author_id text NOT NULL,
      created_at timestamptz NOT NULL, payload jsonb NOT NULL)`.execute(db);
    await sql`CREATE INDEX events_by_thread ON events (thread_id, created_at)`.execute(db);
    const payload = JSON.stringify({
      type: 'message',
      text: 'a message about the order '.repeat(4),
    });
    const started = performance.now();
    const deadline = started + options.seconds * 1000;
    let inserted = 0;
    while (inserted < options.rows && performance.now() < deadline) {
      const chatId = randomUUID();
      await db
        .insertInto('events')
        .values(
          Array.from({ length: batch }, () => ({
            id: randomUUID(),
            chat_id: chatId,
            thread_id: chatId,
            author_id: chatId,
            created_at: new Date(),
            payload,
          })),
        )
        .execute();
      inserted += batch;
    }
    const seconds = (performance.now() - started) / 1000;
    const version = await sql<{ server_version: string }>`SHOW server_version`.execute(db);
    const serverVersion = version.rows[0]?.server_version ?? 'unknown';
    return { rows: inserted, seconds, perSecond: inserted / seconds, batch, serverVersion };
  } finally {
    await db.destroy();
    await database.drop();
  }
}
