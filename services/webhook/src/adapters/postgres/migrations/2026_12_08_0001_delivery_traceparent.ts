import type { Kysely } from 'kysely';

/**
 * The W3C `traceparent` of the fan-out that enqueued a delivery (null when tracing is off), so
 * each attempt, however much later, joins the trace of the event that caused it, and the POST
 * carries it on to the receiver.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('deliveries').addColumn('traceparent', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('deliveries').dropColumn('traceparent').execute();
}
