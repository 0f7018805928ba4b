import { type Kysely, sql } from 'kysely';

/**
 * Greeting campaigns (a Threadline extension of the Configuration API), what each customer was
 * shown, and the customer's current visit, which "once per visit" and the time rules count from.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('greetings')
    .addColumn('id', 'integer', (column) => column.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('organization_id', 'uuid', (column) =>
      column.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('group_id', 'integer', (column) => column.notNull())
    .addColumn('active', 'boolean', (column) => column.notNull())
    .addColumn('subtype', 'text', (column) =>
      column.notNull().check(sql`subtype in ('greeting', 'announcement')`),
    )
    .addColumn('agent_id', 'text')
    .addColumn('addon', 'text')
    .addColumn('is_exit_intent', 'boolean', (column) => column.notNull())
    .addColumn('event', 'jsonb', (column) => column.notNull())
    .addColumn('rules', 'jsonb', (column) => column.notNull())
    .addColumn('author_id', 'text', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('greetings_by_group')
    .on('greetings')
    .columns(['organization_id', 'group_id'])
    .execute();

  await db.schema
    .createTable('customer_visits')
    .addColumn('organization_id', 'uuid', (column) => column.notNull())
    .addColumn('customer_id', 'uuid', (column) =>
      column.notNull().references('customers.id').onDelete('cascade'),
    )
    .addColumn('number', 'integer', (column) => column.notNull())
    .addColumn('started_at', 'timestamptz', (column) => column.notNull())
    .addColumn('seen_at', 'timestamptz', (column) => column.notNull())
    .addPrimaryKeyConstraint('customer_visits_pkey', ['organization_id', 'customer_id'])
    .execute();

  // No foreign key to greetings: a display stays counted when its greeting is deleted.
  await db.schema
    .createTable('greeting_displays')
    .addColumn('unique_id', 'text', (column) => column.primaryKey())
    .addColumn('organization_id', 'uuid', (column) => column.notNull())
    .addColumn('customer_id', 'uuid', (column) =>
      column.notNull().references('customers.id').onDelete('cascade'),
    )
    .addColumn('greeting_id', 'integer', (column) => column.notNull())
    .addColumn('visit', 'integer', (column) => column.notNull())
    .addColumn('payload', 'jsonb', (column) => column.notNull())
    .addColumn('state', 'text', (column) =>
      column.notNull().check(sql`state in ('displayed', 'accepted', 'canceled')`),
    )
    .addColumn('accepted', 'boolean', (column) => column.notNull().defaultTo(false))
    .addColumn('displayed_at', 'timestamptz', (column) => column.notNull())
    .addUniqueConstraint('greeting_displays_once_per_visit', [
      'organization_id',
      'customer_id',
      'greeting_id',
      'visit',
    ])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('greeting_displays').execute();
  await db.schema.dropTable('customer_visits').execute();
  await db.schema.dropTable('greetings').execute();
}
