import { type Kysely, sql } from 'kysely';

/**
 * When each client first brought a customer (the Configuration API's `list_channels`), and the
 * organization's company details (`update_company_details`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('clients').addColumn('first_activity_at', 'timestamptz').execute();
  await db.schema
    .alterTable('organizations')
    .addColumn('company_details', 'jsonb', (column) => column.notNull().defaultTo(sql`'{}'`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('organizations').dropColumn('company_details').execute();
  await db.schema.alterTable('clients').dropColumn('first_activity_at').execute();
}
