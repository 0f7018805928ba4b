import type { Kysely } from 'kysely';

/**
 * Bearer tokens may be limited to OAuth scopes (LiveChat's `chats--access:rw`, `customers:ro`, …).
 * Null keeps the tokens issued so far as they were: every scope of their holder.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('issued_tokens').addColumn('scopes', 'jsonb').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('issued_tokens').dropColumn('scopes').execute();
}
