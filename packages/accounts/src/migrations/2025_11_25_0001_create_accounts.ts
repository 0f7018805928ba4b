import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('organizations')
    .addColumn('id', 'uuid', (column) => column.primaryKey())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('license_id', 'bigint', (column) => column.generatedAlwaysAsIdentity().unique())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('groups')
    .addColumn('organization_id', 'uuid', (column) =>
      column.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('id', 'integer', (column) => column.notNull().check(sql`id >= 0`))
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('language_code', 'text', (column) => column.notNull().defaultTo('en'))
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('groups_pkey', ['organization_id', 'id'])
    .execute();

  await db.schema
    .createTable('agents')
    .addColumn('organization_id', 'uuid', (column) =>
      column.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('id', 'text', (column) => column.notNull())
    .addColumn('account_id', 'uuid', (column) => column.notNull().unique())
    .addColumn('type', 'text', (column) => column.notNull().check(sql`type in ('agent', 'bot')`))
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('role', 'text', (column) =>
      column.notNull().check(sql`role in ('owner', 'viceowner', 'administrator', 'normal')`),
    )
    .addColumn('max_chats_count', 'integer', (column) =>
      column.notNull().defaultTo(6).check(sql`max_chats_count between 0 and 99`),
    )
    .addColumn('avatar', 'text', (column) => column.notNull().defaultTo(''))
    .addColumn('job_title', 'text', (column) => column.notNull().defaultTo(''))
    .addColumn('owner_client_id', 'text')
    .addColumn('secret_hash', 'text')
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('agents_pkey', ['organization_id', 'id'])
    .execute();

  await db.schema
    .createTable('agent_groups')
    .addColumn('organization_id', 'uuid', (column) => column.notNull())
    .addColumn('agent_id', 'text', (column) => column.notNull())
    .addColumn('group_id', 'integer', (column) => column.notNull())
    .addColumn('priority', 'text', (column) =>
      column.notNull().check(sql`priority in ('first', 'normal', 'last', 'supervisor')`),
    )
    .addPrimaryKeyConstraint('agent_groups_pkey', ['organization_id', 'agent_id', 'group_id'])
    .addForeignKeyConstraint(
      'agent_groups_agent_fkey',
      ['organization_id', 'agent_id'],
      'agents',
      ['organization_id', 'id'],
      (constraint) => constraint.onDelete('cascade'),
    )
    .addForeignKeyConstraint(
      'agent_groups_group_fkey',
      ['organization_id', 'group_id'],
      'groups',
      ['organization_id', 'id'],
      (constraint) => constraint.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('personal_access_tokens')
    .addColumn('token_hash', 'text', (column) => column.primaryKey())
    .addColumn('account_id', 'uuid', (column) =>
      column.notNull().references('agents.account_id').onDelete('cascade'),
    )
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('clients')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('organization_id', 'uuid', (column) =>
      column.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('kind', 'text', (column) =>
      column.notNull().check(sql`kind in ('customer_widget', 'server')`),
    )
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('clients_organization_idx')
    .on('clients')
    .columns(['organization_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('customers')
    .addColumn('id', 'uuid', (column) => column.primaryKey())
    .addColumn('organization_id', 'uuid', (column) =>
      column.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('name', 'text')
    .addColumn('email', 'text')
    .addColumn('avatar', 'text')
    .addColumn('session_fields', 'jsonb', (column) => column.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('cookie_secret_hash', 'text')
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('issued_tokens')
    .addColumn('token_hash', 'text', (column) => column.primaryKey())
    .addColumn('organization_id', 'uuid', (column) =>
      column.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('entity_type', 'text', (column) =>
      column.notNull().check(sql`entity_type in ('agent', 'bot', 'customer')`),
    )
    .addColumn('entity_id', 'text', (column) => column.notNull())
    .addColumn('client_id', 'text')
    .addColumn('group_id', 'integer')
    .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();
  // Expired tokens are swept by expiry; the index keeps that cheap.
  await db.schema
    .createIndex('issued_tokens_expires_idx')
    .on('issued_tokens')
    .column('expires_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'issued_tokens',
    'customers',
    'clients',
    'personal_access_tokens',
    'agent_groups',
    'agents',
    'groups',
    'organizations',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
