import type { Kysely } from 'kysely';

/**
 * The API version a webhook was registered in: webhooks are sent in it (3.4 names and shapes
 * some differently). Registrations made before it was recorded count as 3.6, so they keep
 * receiving exactly what they did.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('registrations')
    .addColumn('api_version', 'text', (column) => column.notNull().defaultTo('3.6'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('registrations').dropColumn('api_version').execute();
}
