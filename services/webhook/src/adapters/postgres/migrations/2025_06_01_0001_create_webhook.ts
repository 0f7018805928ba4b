import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('registrations')
    .addColumn('id', 'char(32)', (column) => column.primaryKey())
    .addColumn('organization_id', 'text', (column) => column.notNull())
    .addColumn('owner_client_id', 'text', (column) => column.notNull())
    .addColumn('action', 'text', (column) => column.notNull())
    .addColumn('url', 'text', (column) => column.notNull())
    .addColumn('secret_key', 'text', (column) => column.notNull())
    .addColumn('type', 'text', (column) => column.notNull().check(sql`type IN ('license', 'bot')`))
    .addColumn('description', 'text')
    .addColumn('filters', 'jsonb', (column) => column.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('additional_data', 'jsonb', (column) => column.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();
  // Fan-out looks registrations up by organization and action; the limit check by owner too.
  await db.schema
    .createIndex('registrations_organization_action')
    .on('registrations')
    .columns(['organization_id', 'action', 'owner_client_id'])
    .execute();

  await db.schema
    .createTable('license_webhook_states')
    .addColumn('organization_id', 'text', (column) => column.notNull())
    .addColumn('owner_client_id', 'text', (column) => column.notNull())
    .addColumn('enabled', 'boolean', (column) => column.notNull())
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('license_webhook_states_pkey', ['organization_id', 'owner_client_id'])
    .execute();

  await db.schema
    .createTable('deliveries')
    .addColumn('id', 'char(32)', (column) => column.primaryKey())
    .addColumn('registration_id', 'char(32)', (column) =>
      column.notNull().references('registrations.id').onDelete('cascade'),
    )
    .addColumn('organization_id', 'text', (column) => column.notNull())
    .addColumn('action', 'text', (column) => column.notNull())
    .addColumn('url', 'text', (column) => column.notNull())
    .addColumn('body', 'text', (column) => column.notNull())
    .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('status', 'text', (column) =>
      column.notNull().defaultTo('pending').check(sql`status IN ('pending', 'delivered', 'dead')`),
    )
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('delivered_at', 'timestamptz')
    .execute();
  // Workers only ever scan what is due; delivered and dead rows stay out of the index.
  await db.schema
    .createIndex('deliveries_due')
    .on('deliveries')
    .column('next_attempt_at')
    .where(sql.ref('status'), '=', 'pending')
    .execute();
  // Pruning finds settled rows by age without scanning the pending ones.
  await db.schema
    .createIndex('deliveries_settled')
    .on('deliveries')
    .column('updated_at')
    .where(sql.ref('status'), '<>', 'pending')
    .execute();
  await db.schema
    .createIndex('deliveries_registration')
    .on('deliveries')
    .column('registration_id')
    .execute();

  await db.schema
    .createTable('chat_snapshots')
    .addColumn('organization_id', 'text', (column) => column.notNull())
    .addColumn('chat_id', 'text', (column) => column.notNull())
    .addColumn('version', 'bigint', (column) => column.notNull())
    .addColumn('properties', 'jsonb')
    .addColumn('user_types', 'jsonb', (column) => column.notNull().defaultTo(sql`'{}'::jsonb`))
    .addPrimaryKeyConstraint('chat_snapshots_pkey', ['organization_id', 'chat_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['chat_snapshots', 'deliveries', 'license_webhook_states', 'registrations']) {
    await db.schema.dropTable(table).execute();
  }
}
