import { type Kysely, sql } from 'kysely';

/**
 * What the Customer Chat API lets a customer (or an agent) say about a customer beyond name,
 * e-mail and avatar; bans (`ban_customer`); and one-time identity transfer tokens.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('customers')
    .addColumn('phone_number', 'text')
    .addColumn('address', 'jsonb')
    .addColumn('omnichannel', 'jsonb')
    .addColumn('last_page', 'jsonb')
    .execute();

  await db.schema
    .createTable('customer_bans')
    .addColumn('organization_id', 'uuid', (column) =>
      column.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('customer_id', 'uuid', (column) =>
      column.notNull().references('customers.id').onDelete('cascade'),
    )
    .addColumn('days', 'integer', (column) => column.notNull())
    .addColumn('banned_by', 'text', (column) => column.notNull())
    .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('customer_bans_pkey', ['organization_id', 'customer_id'])
    .execute();

  await db.schema
    .createTable('identity_transfers')
    .addColumn('token_hash', 'text', (column) => column.primaryKey())
    .addColumn('organization_id', 'uuid', (column) =>
      column.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('customer_id', 'uuid', (column) =>
      column.notNull().references('customers.id').onDelete('cascade'),
    )
    .addColumn('client_id', 'text', (column) => column.notNull())
    .addColumn('code_challenge', 'text')
    .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('identity_transfers').execute();
  await db.schema.dropTable('customer_bans').execute();
  await db.schema
    .alterTable('customers')
    .dropColumn('phone_number')
    .dropColumn('address')
    .dropColumn('omnichannel')
    .dropColumn('last_page')
    .execute();
}
