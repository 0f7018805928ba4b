import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('customer_keys')
    .addColumn('organization_id', 'text', (column) => column.notNull())
    .addColumn('customer_id', 'text', (column) => column.notNull())
    // The data key sealed with the master key; null once the customer is erased.
    .addColumn('sealed_key', 'bytea')
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('erased_at', 'timestamptz')
    .addPrimaryKeyConstraint('customer_keys_pkey', ['organization_id', 'customer_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('customer_keys').execute();
}
