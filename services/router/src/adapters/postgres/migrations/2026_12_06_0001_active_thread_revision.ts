import type { Kysely } from 'kysely';

/**
 * A revision per active thread, so a notification's change is written only over the row it was
 * computed from (compare-and-set), without holding the row locked across round trips.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('active_threads')
    .addColumn('revision', 'integer', (column) => column.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('active_threads').dropColumn('revision').execute();
}
