import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('agents')
    .addColumn('organization_id', 'text', (column) => column.notNull())
    .addColumn('agent_id', 'text', (column) => column.notNull())
    .addColumn('user_type', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) =>
      column.notNull().check(sql`status IN ('accepting_chats', 'not_accepting_chats', 'offline')`),
    )
    .addColumn('group_ids', sql`integer[]`, (column) => column.notNull())
    .addColumn('max_chats_count', 'integer', (column) => column.notNull())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('email', 'text', (column) => column.notNull())
    .addColumn('avatar', 'text', (column) => column.notNull())
    .addColumn('last_assigned_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull())
    .addPrimaryKeyConstraint('agents_pkey', ['organization_id', 'agent_id'])
    .execute();

  await db.schema
    .createTable('assignments')
    .addColumn('organization_id', 'text', (column) => column.notNull())
    .addColumn('chat_id', 'text', (column) => column.notNull())
    .addColumn('thread_id', 'text', (column) => column.notNull())
    .addColumn('agent_id', 'text', (column) => column.notNull())
    .addColumn('routed', 'boolean', (column) => column.notNull())
    .addColumn('confirmed', 'boolean', (column) => column.notNull())
    .addColumn('assigned_at', 'timestamptz', (column) => column.notNull())
    .addColumn('attempted_at', 'timestamptz', (column) => column.notNull())
    .addPrimaryKeyConstraint('assignments_pkey', [
      'organization_id',
      'chat_id',
      'thread_id',
      'agent_id',
    ])
    .execute();
  // The database itself refuses a second routing decision for one thread.
  await db.schema
    .createIndex('assignments_one_routed_per_thread')
    .on('assignments')
    .columns(['organization_id', 'chat_id', 'thread_id'])
    .unique()
    .where(sql.ref('routed'), '=', true)
    .execute();
  await db.schema
    .createIndex('assignments_by_agent')
    .on('assignments')
    .columns(['organization_id', 'agent_id'])
    .execute();
  await db.schema
    .createIndex('assignments_unconfirmed')
    .on('assignments')
    .column('attempted_at')
    .where(sql.ref('confirmed'), '=', false)
    .execute();

  await db.schema
    .createTable('waiting_chats')
    .addColumn('organization_id', 'text', (column) => column.notNull())
    .addColumn('chat_id', 'text', (column) => column.notNull())
    .addColumn('thread_id', 'text', (column) => column.notNull())
    .addColumn('group_ids', sql`integer[]`, (column) => column.notNull())
    .addColumn('queued_at', 'timestamptz', (column) => column.notNull())
    .addPrimaryKeyConstraint('waiting_chats_pkey', ['organization_id', 'chat_id', 'thread_id'])
    .execute();

  await db.schema
    .createTable('closed_threads')
    .addColumn('organization_id', 'text', (column) => column.notNull())
    .addColumn('chat_id', 'text', (column) => column.notNull())
    .addColumn('thread_id', 'text', (column) => column.notNull())
    .addColumn('closed_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('closed_threads_pkey', ['organization_id', 'chat_id', 'thread_id'])
    .execute();
  await db.schema
    .createIndex('closed_threads_by_time')
    .on('closed_threads')
    .column('closed_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['closed_threads', 'waiting_chats', 'assignments', 'agents']) {
    await db.schema.dropTable(table).execute();
  }
}
