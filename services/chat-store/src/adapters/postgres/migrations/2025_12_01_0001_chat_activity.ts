import { type Kysely, sql } from 'kysely';

/**
 * What issue 3's methods add to the projections: followers, thread tags and summaries, deleted
 * events, and the indexes `list_archives` searches with (thread time, event text).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('chats')
    .addColumn('followers', 'jsonb', (column) => column.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
  await db.schema
    .alterTable('threads')
    .addColumn('tags', 'jsonb', (column) => column.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('summary', 'jsonb')
    .execute();
  await db.schema
    .alterTable('events')
    .addColumn('deleted', 'boolean', (column) => column.notNull().defaultTo(false))
    .execute();
  await db.schema
    .createIndex('threads_by_time')
    .on('threads')
    .columns(['organization_id', 'created_at', 'chat_id', 'id'])
    .execute();
  await sql`CREATE INDEX events_text_search ON events
    USING gin (to_tsvector('simple', coalesce(body->>'text', '')))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('events_text_search').execute();
  await db.schema.dropIndex('threads_by_time').execute();
  await db.schema.alterTable('events').dropColumn('deleted').execute();
  await db.schema.alterTable('threads').dropColumn('summary').dropColumn('tags').execute();
  await db.schema.alterTable('chats').dropColumn('followers').execute();
}
