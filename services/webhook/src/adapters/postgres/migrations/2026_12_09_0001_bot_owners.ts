import type { Kysely } from 'kysely';

/**
 * The bots of each organization with the client that owns them, for `chat_presence.my_bots`
 * (`src/domain/bot-ownership.ts`). A deleted bot stays as a tombstone (`deleted`), so a
 * `bot_created` redelivered after its `bot_deleted` cannot make it present again; its owner is
 * null when the deletion arrived first.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('bot_owners')
    .addColumn('organization_id', 'text', (column) => column.notNull())
    .addColumn('bot_id', 'text', (column) => column.notNull())
    .addColumn('owner_client_id', 'text')
    .addColumn('deleted', 'boolean', (column) => column.notNull().defaultTo(false))
    .addPrimaryKeyConstraint('bot_owners_pkey', ['organization_id', 'bot_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('bot_owners').execute();
}
