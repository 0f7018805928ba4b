import { type Kysely, sql } from 'kysely';

/** The audit of customer erasures (docs/erasure.md): who erased whom, when, and what it touched. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('customer_erasures')
    .addColumn('id', 'uuid', (column) => column.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organization_id', 'uuid', (column) => column.notNull())
    .addColumn('customer_id', 'text', (column) => column.notNull())
    .addColumn('erased_by', 'text', (column) => column.notNull())
    .addColumn('erased_by_type', 'text', (column) => column.notNull())
    .addColumn('erased_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('key_destroyed', 'boolean', (column) => column.notNull())
    .addColumn('chats_reprojected', 'integer', (column) => column.notNull())
    .addColumn('batches_reprojected', 'integer', (column) => column.notNull())
    .addColumn('customer_record_erased', 'boolean', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('customer_erasures_by_organization')
    .on('customer_erasures')
    .columns(['organization_id', 'erased_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('customer_erasures').execute();
}
