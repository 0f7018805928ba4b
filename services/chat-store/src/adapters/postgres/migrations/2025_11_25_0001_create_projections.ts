import { type Kysely, sql } from 'kysely';

/** Chats, their users, threads and events, as folded from the chat event streams. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('chats')
    .addColumn('organization_id', 'text', (column) => column.notNull())
    .addColumn('id', 'text', (column) => column.notNull())
    .addColumn('version', 'integer', (column) => column.notNull())
    .addColumn('properties', 'jsonb', (column) => column.notNull())
    .addColumn('access_group_ids', sql`integer[]`, (column) => column.notNull())
    .addColumn('users', 'jsonb', (column) => column.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('active', 'boolean', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('last_thread_id', 'text')
    .addColumn('last_thread_created_at', 'text', (column) => column.notNull())
    .addColumn('thread_count', 'integer', (column) => column.notNull())
    .addColumn('last_event_per_type', 'jsonb', (column) => column.notNull())
    .addColumn('customer_last_event_per_type', 'jsonb', (column) => column.notNull())
    .addPrimaryKeyConstraint('chats_pkey', ['organization_id', 'id'])
    .execute();
  await db.schema
    .createIndex('chats_by_last_thread')
    .on('chats')
    .columns(['organization_id', 'last_thread_created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('chats_by_customer')
    .on('chats')
    .columns(['organization_id', 'customer_id'])
    .execute();
  await sql`CREATE INDEX chats_by_access ON chats USING gin (access_group_ids)`.execute(db);

  await db.schema
    .createTable('chat_users')
    .addColumn('organization_id', 'text', (column) => column.notNull())
    .addColumn('chat_id', 'text', (column) => column.notNull())
    .addColumn('user_id', 'text', (column) => column.notNull())
    .addColumn('user_type', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('chat_users_pkey', ['organization_id', 'chat_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('chat_users_by_user')
    .on('chat_users')
    .columns(['organization_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('threads')
    .addColumn('organization_id', 'text', (column) => column.notNull())
    .addColumn('chat_id', 'text', (column) => column.notNull())
    .addColumn('id', 'text', (column) => column.notNull())
    .addColumn('thread_order', 'integer', (column) => column.notNull())
    .addColumn('active', 'boolean', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('properties', 'jsonb', (column) => column.notNull())
    .addColumn('access_group_ids', sql`integer[]`, (column) => column.notNull())
    .addColumn('user_ids', 'jsonb', (column) => column.notNull())
    .addColumn('previous_thread_id', 'text')
    .addColumn('next_thread_id', 'text')
    .addColumn('events_count', 'integer', (column) => column.notNull())
    .addPrimaryKeyConstraint('threads_pkey', ['organization_id', 'chat_id', 'id'])
    .addUniqueConstraint('threads_order_key', ['organization_id', 'chat_id', 'thread_order'])
    .execute();

  await db.schema
    .createTable('events')
    .addColumn('organization_id', 'text', (column) => column.notNull())
    .addColumn('chat_id', 'text', (column) => column.notNull())
    .addColumn('thread_id', 'text', (column) => column.notNull())
    .addColumn('id', 'text', (column) => column.notNull())
    .addColumn('event_order', 'integer', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('visibility', 'text', (column) => column.notNull())
    .addColumn('body', 'jsonb', (column) => column.notNull())
    .addPrimaryKeyConstraint('events_pkey', ['organization_id', 'chat_id', 'id'])
    .execute();
  await db.schema
    .createIndex('events_by_thread')
    .on('events')
    .columns(['organization_id', 'chat_id', 'thread_id', 'event_order'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['events', 'threads', 'chat_users', 'chats']) {
    await db.schema.dropTable(table).execute();
  }
}
