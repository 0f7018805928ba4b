import { type Kysely, sql } from 'kysely';

/**
 * What the Configuration API manages beyond the first accounts: agent settings (approval,
 * suspension, notifications, work scheduler), bot settings, tags, property configurations and
 * values, and auto access rules. (Customer bans came with the customer details migration.)
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('agents')
    .addColumn('login_status', 'text', (column) =>
      column
        .notNull()
        .defaultTo('accepting chats')
        .check(sql`login_status in ('accepting chats', 'not accepting chats')`),
    )
    .addColumn('mobile', 'text', (column) => column.notNull().defaultTo(''))
    .addColumn('notifications', 'jsonb', (column) => column.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('email_subscriptions', 'jsonb', (column) =>
      column.notNull().defaultTo(sql`'[]'::jsonb`),
    )
    .addColumn('work_scheduler', 'jsonb')
    .addColumn('suspended', 'boolean', (column) => column.notNull().defaultTo(false))
    .addColumn('awaiting_approval', 'boolean', (column) => column.notNull().defaultTo(false))
    .addColumn('default_group_priority', 'text', (column) =>
      column.check(sql`default_group_priority in ('first', 'normal', 'last', 'supervisor')`),
    )
    .addColumn('bot_type', 'text')
    .execute();

  await db.schema
    .createTable('tags')
    .addColumn('organization_id', 'uuid', (column) =>
      column.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('group_ids', sql`integer[]`, (column) => column.notNull().defaultTo(sql`'{}'`))
    .addColumn('author_id', 'text', (column) => column.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('tags_pkey', ['organization_id', 'name'])
    .execute();
  // LiveChat: creating a tag ignores letter case, updating and deleting respect it.
  await sql`CREATE UNIQUE INDEX tags_name_ci_idx ON tags (organization_id, lower(name))`.execute(
    db,
  );

  await db.schema
    .createTable('property_configs')
    .addColumn('owner_client_id', 'text', (column) =>
      column.notNull().references('clients.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('organization_id', 'uuid', (column) =>
      column.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('type', 'text', (column) =>
      column.notNull().check(sql`type in ('int', 'bool', 'string', 'tokenized_string')`),
    )
    .addColumn('description', 'text', (column) => column.notNull().defaultTo(''))
    .addColumn('access', 'jsonb', (column) => column.notNull())
    .addColumn('domain', 'jsonb')
    .addColumn('range', 'jsonb')
    .addColumn('default_value', 'jsonb')
    // Null while private; the published access (`["read"]`, `["read","write"]`) once published.
    .addColumn('public_access', 'jsonb')
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('property_configs_pkey', ['owner_client_id', 'name'])
    .execute();

  await db.schema
    .createTable('license_properties')
    .addColumn('organization_id', 'uuid', (column) =>
      column.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('namespace', 'text', (column) => column.notNull())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('value', 'jsonb', (column) => column.notNull())
    .addPrimaryKeyConstraint('license_properties_pkey', ['organization_id', 'namespace', 'name'])
    .execute();

  await db.schema
    .createTable('group_properties')
    .addColumn('organization_id', 'uuid', (column) => column.notNull())
    .addColumn('group_id', 'integer', (column) => column.notNull())
    .addColumn('namespace', 'text', (column) => column.notNull())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('value', 'jsonb', (column) => column.notNull())
    .addPrimaryKeyConstraint('group_properties_pkey', [
      'organization_id',
      'group_id',
      'namespace',
      'name',
    ])
    .addForeignKeyConstraint(
      'group_properties_group_fkey',
      ['organization_id', 'group_id'],
      'groups',
      ['organization_id', 'id'],
      (constraint) => constraint.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('auto_accesses')
    .addColumn('organization_id', 'uuid', (column) =>
      column.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('id', 'text', (column) => column.notNull())
    // LiveChat links rules with `next_id`; a position is the same order, and cheaper to rewrite.
    .addColumn('position', 'integer', (column) => column.notNull())
    .addColumn('description', 'text', (column) => column.notNull().defaultTo(''))
    .addColumn('access', 'jsonb', (column) => column.notNull())
    .addColumn('conditions', 'jsonb', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('auto_accesses_pkey', ['organization_id', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'auto_accesses',
    'group_properties',
    'license_properties',
    'property_configs',
    'tags',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema
    .alterTable('agents')
    .dropColumn('login_status')
    .dropColumn('mobile')
    .dropColumn('notifications')
    .dropColumn('email_subscriptions')
    .dropColumn('work_scheduler')
    .dropColumn('suspended')
    .dropColumn('awaiting_approval')
    .dropColumn('default_group_priority')
    .dropColumn('bot_type')
    .execute();
}
