import { type Kysely, sql } from 'kysely';

/**
 * Personal access tokens get an id (to list and revoke one without showing the secret again) and
 * an optional expiry. Existing tokens get ids and keep living forever, as they did.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('personal_access_tokens')
    .addColumn('id', 'uuid', (column) =>
      column.notNull().unique().defaultTo(sql`gen_random_uuid()`),
    )
    .addColumn('expires_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('personal_access_tokens_account_idx')
    .on('personal_access_tokens')
    .column('account_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('personal_access_tokens_account_idx').execute();
  await db.schema
    .alterTable('personal_access_tokens')
    .dropColumn('id')
    .dropColumn('expires_at')
    .execute();
}
