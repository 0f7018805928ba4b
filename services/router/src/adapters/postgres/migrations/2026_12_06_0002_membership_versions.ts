import type { Kysely } from 'kysely';

/**
 * Who is in a chat, by the chat's version: each assignment remembers the version that put the
 * agent there, and each departure the version that took them out. Replicas read a chat's batches
 * concurrently, so a join can be read after the leave that followed it; the versions tell which
 * came last.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('assignments').addColumn('joined_version', 'bigint').execute();
  await db.schema
    .createTable('chat_departures')
    .addColumn('organization_id', 'text', (column) => column.notNull())
    .addColumn('chat_id', 'text', (column) => column.notNull())
    .addColumn('agent_id', 'text', (column) => column.notNull())
    .addColumn('version', 'bigint', (column) => column.notNull())
    .addPrimaryKeyConstraint('chat_departures_pkey', ['organization_id', 'chat_id', 'agent_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('chat_departures').execute();
  await db.schema.alterTable('assignments').dropColumn('joined_version').execute();
}
