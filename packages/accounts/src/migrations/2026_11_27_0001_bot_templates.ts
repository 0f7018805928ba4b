import { type Kysely, sql } from 'kysely';

/**
 * Bot templates (Configuration API `create_bot_template` …): the bot an application (a client)
 * wants wherever it is installed. The secret is stored as its SHA-256 hash, like bot secrets.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('bot_templates')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('organization_id', 'uuid', (column) =>
      column.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('owner_client_id', 'text', (column) =>
      column.notNull().references('clients.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('avatar', 'text', (column) => column.notNull())
    .addColumn('max_chats_count', 'integer', (column) => column.notNull())
    .addColumn('default_group_priority', 'text', (column) => column.notNull())
    .addColumn('job_title', 'text', (column) => column.notNull())
    .addColumn('secret_hash', 'text', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('bot_templates_by_owner')
    .on('bot_templates')
    .columns(['organization_id', 'owner_client_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('bot_templates').execute();
}
