import { type Kysely, sql } from 'kysely';

/**
 * When a delivery last became pending: on creation, and again when it is redelivered or replayed.
 * Overdue deliveries are dead-lettered by this, not by their creation, so a replayed delivery of
 * last week gets its whole retry schedule.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('deliveries')
    .addColumn('pending_since', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`UPDATE deliveries SET pending_since = created_at`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('deliveries').dropColumn('pending_since').execute();
}
