import { type Kysely, sql } from 'kysely';

/**
 * The configuration stream describes agents before they set a status: their priority in each
 * group, their own limit or none (the organization's default then), and whether they were
 * suspended or deleted. Applied changes are counted per organization so a redelivery is absorbed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('agents')
    .addColumn('group_priorities', 'jsonb', (column) => column.notNull().defaultTo(sql`'{}'`))
    .addColumn('removed', 'text', (column) =>
      column.check(sql`removed IN ('suspended', 'deleted')`),
    )
    .addColumn('configured', 'boolean', (column) => column.notNull().defaultTo(false))
    .execute();
  await db.schema
    .alterTable('agents')
    .alterColumn('max_chats_count', (column) => column.dropNotNull())
    .execute();

  await db.schema
    .createTable('configuration_positions')
    .addColumn('organization_id', 'text', (column) => column.primaryKey())
    .addColumn('position', 'bigint', (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('chat_recent_agents')
    .addColumn('organization_id', 'text', (column) => column.notNull())
    .addColumn('chat_id', 'text', (column) => column.notNull())
    .addColumn('agent_id', 'text', (column) => column.notNull())
    .addColumn('served_at', 'timestamptz', (column) => column.notNull())
    .addPrimaryKeyConstraint('chat_recent_agents_pkey', ['organization_id', 'chat_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('chat_recent_agents').execute();
  await db.schema.dropTable('configuration_positions').execute();
  await sql`UPDATE agents SET max_chats_count = 6 WHERE max_chats_count IS NULL`.execute(db);
  await db.schema
    .alterTable('agents')
    .alterColumn('max_chats_count', (column) => column.setNotNull())
    .dropColumn('group_priorities')
    .dropColumn('removed')
    .dropColumn('configured')
    .execute();
}
