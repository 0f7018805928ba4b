import type { Kysely } from 'kysely';

/** When a greeting may first and last be shown (LiveChat's `active_from` / `active_until`). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('greetings')
    .addColumn('active_from', 'timestamptz')
    .addColumn('active_until', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('greetings')
    .dropColumn('active_from')
    .dropColumn('active_until')
    .execute();
}
