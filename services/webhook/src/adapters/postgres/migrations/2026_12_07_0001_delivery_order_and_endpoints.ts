import { type Kysely, sql } from 'kysely';

/**
 * Order per chat and the endpoints' circuit breakers.
 *
 * `sequence` is the outbox's creation order: deliveries sharing url, organization and
 * `ordering_key` (the chat) are sent one at a time in that order. Rows enqueued before this
 * migration have no key and keep being sent unordered, as they were.
 *
 * `endpoints` holds one circuit breaker per webhook URL, shared by every replica; an endpoint
 * without a row is closed (rows appear on the first failure).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE deliveries ADD COLUMN sequence bigint GENERATED ALWAYS AS IDENTITY`.execute(
    db,
  );
  await db.schema.alterTable('deliveries').addColumn('ordering_key', 'text').execute();
  // The claim asks, for each due row, whether an earlier one of its chain is still pending.
  await db.schema
    .createIndex('deliveries_order')
    .on('deliveries')
    .columns(['url', 'organization_id', 'ordering_key', 'sequence'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();

  await db.schema
    .createTable('endpoints')
    .addColumn('url', 'text', (column) => column.primaryKey())
    .addColumn('status', 'text', (column) =>
      column.notNull().defaultTo('closed').check(sql`status IN ('closed', 'open', 'half_open')`),
    )
    .addColumn('consecutive_failures', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('openings', 'integer', (column) => column.notNull().defaultTo(0))
    // Open: the cool-down's end. Half-open: when the probe's lease runs out and another may go.
    .addColumn('retry_at', 'timestamptz')
    // Bumped by every write: replicas update the breaker by compare-and-set on it.
    .addColumn('revision', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();
  // Every claim looks for circuits to probe; closed ones (most rows) stay out of the index.
  await db.schema
    .createIndex('endpoints_not_closed')
    .on('endpoints')
    .column('retry_at')
    .where(sql.ref('status'), '<>', 'closed')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('endpoints').execute();
  await db.schema.dropIndex('deliveries_order').execute();
  await db.schema.alterTable('deliveries').dropColumn('ordering_key').execute();
  await db.schema.alterTable('deliveries').dropColumn('sequence').execute();
}
