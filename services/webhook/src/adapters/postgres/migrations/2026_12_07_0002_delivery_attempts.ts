import { type Kysely, sql } from 'kysely';

/**
 * The delivery log: one row per POST that got an outcome. Rows go with their delivery (cascade),
 * so pruning deliveries and unregistering webhooks prune the log too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('delivery_attempts')
    .addColumn('id', 'bigserial', (column) => column.primaryKey())
    .addColumn('delivery_id', 'char(32)', (column) =>
      column.notNull().references('deliveries.id').onDelete('cascade'),
    )
    // Counts from 1 again after a redelivery, as the delivery's retry budget does.
    .addColumn('attempt', 'integer', (column) => column.notNull())
    .addColumn('started_at', 'timestamptz', (column) => column.notNull())
    .addColumn('duration_ms', 'integer', (column) => column.notNull())
    .addColumn('outcome', 'text', (column) =>
      column.notNull().check(sql`outcome IN ('delivered', 'retry', 'dead')`),
    )
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('response_body_prefix', 'text')
    .execute();
  await db.schema
    .createIndex('delivery_attempts_delivery')
    .on('delivery_attempts')
    .columns(['delivery_id', 'id'])
    .execute();
  // Listing a webhook's deliveries newest first, and replaying them oldest first.
  await db.schema
    .createIndex('deliveries_registration_created')
    .on('deliveries')
    .columns(['registration_id', 'created_at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('deliveries_registration_created').execute();
  await db.schema.dropTable('delivery_attempts').execute();
}
