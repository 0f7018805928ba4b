import { type Kysely, sql } from 'kysely';

/**
 * The chat lifecycle: each active thread's activity and timers, the system commands the router
 * owes chat-store (an outbox, so a decision survives a crash between deciding and sending), the
 * agents' RTM sessions per gateway, and when threads left the queue (for wait estimates).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('active_threads')
    .addColumn('organization_id', 'text', (column) => column.notNull())
    .addColumn('chat_id', 'text', (column) => column.notNull())
    .addColumn('thread_id', 'text', (column) => column.notNull())
    .addColumn('group_ids', sql`integer[]`, (column) => column.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('continuous', 'boolean', (column) => column.notNull().defaultTo(false))
    .addColumn('activity', 'jsonb', (column) => column.notNull())
    .addColumn('timers', 'jsonb', (column) => column.notNull())
    .addColumn('inactive_due_at', 'timestamptz')
    .addColumn('unanswered_due_at', 'timestamptz')
    .addColumn('customer_due_at', 'timestamptz')
    .addPrimaryKeyConstraint('active_threads_pkey', ['organization_id', 'chat_id'])
    .execute();
  for (const column of ['inactive_due_at', 'unanswered_due_at', 'customer_due_at']) {
    await db.schema
      .createIndex(`active_threads_${column}`)
      .on('active_threads')
      .column(column)
      .where(sql.ref(column), 'is not', null)
      .execute();
  }

  await db.schema
    .createTable('system_commands')
    .addColumn('organization_id', 'text', (column) => column.notNull())
    .addColumn('command_id', 'text', (column) => column.notNull())
    .addColumn('action', 'text', (column) => column.notNull())
    .addColumn('payload', 'jsonb', (column) => column.notNull())
    .addColumn('issued_at', 'timestamptz', (column) => column.notNull())
    .addColumn('attempted_at', 'timestamptz', (column) => column.notNull())
    .addPrimaryKeyConstraint('system_commands_pkey', ['organization_id', 'command_id'])
    .execute();
  await db.schema
    .createIndex('system_commands_by_attempt')
    .on('system_commands')
    .column('attempted_at')
    .execute();

  await db.schema
    .createTable('agent_sessions')
    .addColumn('organization_id', 'text', (column) => column.notNull())
    .addColumn('agent_id', 'text', (column) => column.notNull())
    .addColumn('gateway_id', 'text', (column) => column.notNull())
    .addColumn('seen_at', 'timestamptz', (column) => column.notNull())
    .addPrimaryKeyConstraint('agent_sessions_pkey', ['organization_id', 'agent_id', 'gateway_id'])
    .execute();
  await db.schema
    .createIndex('agent_sessions_by_seen')
    .on('agent_sessions')
    .column('seen_at')
    .execute();
  // Set when an agent's last session ends; their chats are handed on once `lost_at` has passed
  // (the grace period for a reload or a network blip), with `lost_reason` naming why.
  await db.schema
    .alterTable('agents')
    .addColumn('lost_at', 'timestamptz')
    .addColumn('lost_reason', 'text')
    .addColumn('lost_key', 'text')
    .addColumn('status_before_offline', 'text')
    .execute();
  await db.schema
    .createIndex('agents_lost_at')
    .on('agents')
    .column('lost_at')
    .where(sql.ref('lost_at'), 'is not', null)
    .execute();

  await db.schema
    .alterTable('waiting_chats')
    .addColumn('position', 'integer')
    .addColumn('wait_time', 'integer')
    .addColumn('ignore_agents', 'boolean', (column) => column.notNull().defaultTo(false))
    .addColumn('ignore_bots', 'boolean', (column) => column.notNull().defaultTo(false))
    .addColumn('customer_id', 'text')
    .execute();
  await db.schema
    .createTable('queue_departures')
    .addColumn('organization_id', 'text', (column) => column.notNull())
    .addColumn('left_at', 'timestamptz', (column) => column.notNull())
    .addColumn('waited_ms', 'bigint', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('queue_departures_by_organization')
    .on('queue_departures')
    .columns(['organization_id', 'left_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('queue_departures').execute();
  await db.schema
    .alterTable('waiting_chats')
    .dropColumn('position')
    .dropColumn('wait_time')
    .execute();
  await db.schema
    .alterTable('agents')
    .dropColumn('lost_at')
    .dropColumn('lost_reason')
    .dropColumn('lost_key')
    .dropColumn('status_before_offline')
    .execute();
  for (const table of ['agent_sessions', 'system_commands', 'active_threads']) {
    await db.schema.dropTable(table).execute();
  }
}
