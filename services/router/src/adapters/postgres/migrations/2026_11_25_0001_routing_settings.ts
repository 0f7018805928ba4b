import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('routing_settings')
    .addColumn('organization_id', 'text', (column) => column.notNull())
    .addColumn('group_id', 'integer')
    .addColumn('settings', 'jsonb', (column) => column.notNull())
    .addColumn('change_position', 'bigint', (column) => column.notNull())
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull())
    .execute();
  // One row for the organization (group_id NULL) and one per group.
  await sql`CREATE UNIQUE INDEX routing_settings_scope ON routing_settings (organization_id, group_id) NULLS NOT DISTINCT`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('routing_settings').execute();
}
