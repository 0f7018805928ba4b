import { type Kysely, sql } from 'kysely';

/**
 * What lc-sdk-js 4.0.2 (API 3.4) lets an agent ask for beyond 3.6: to follow a customer
 * (`follow_customer`) and to get mobile pushes (`change_push_notifications`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('customer_follows')
    .addColumn('organization_id', 'uuid', (column) =>
      column.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('customer_id', 'uuid', (column) =>
      column.notNull().references('customers.id').onDelete('cascade'),
    )
    .addColumn('agent_id', 'text', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('customer_follows_pkey', [
      'organization_id',
      'customer_id',
      'agent_id',
    ])
    .execute();

  await db.schema
    .createTable('agent_push_notifications')
    .addColumn('organization_id', 'uuid', (column) =>
      column.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('agent_id', 'text', (column) => column.notNull())
    .addColumn('firebase_token', 'text', (column) => column.notNull())
    .addColumn('platform', 'text', (column) => column.notNull())
    .addColumn('enabled', 'boolean', (column) => column.notNull())
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('agent_push_notifications_pkey', [
      'organization_id',
      'agent_id',
      'firebase_token',
    ])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('agent_push_notifications').execute();
  await db.schema.dropTable('customer_follows').execute();
}
