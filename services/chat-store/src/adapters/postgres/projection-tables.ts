import { type Kysely, sql } from 'kysely';
import type { Database } from './database.ts';

/**
 * The tables folded from the chat streams, with the key that orders a dump of each (its first
 * two columns name the organization and the chat). A rebuild builds, compares and switches
 * exactly these, a re-projection deletes a chat's rows from them; a new projection table belongs
 * here, while tables that are not projections (kept state the streams cannot give back) stay
 * out of it.
 */
export const projectionTables = {
  chats: ['organization_id', 'id'],
  chat_users: ['organization_id', 'chat_id', 'user_id'],
  threads: ['organization_id', 'chat_id', 'thread_order'],
  events: ['organization_id', 'chat_id', 'id'],
} as const satisfies Partial<Record<keyof Database, readonly string[]>>;

export type ProjectionTable = keyof typeof projectionTables;

export const projectionTableNames = Object.keys(projectionTables) as ProjectionTable[];

/**
 * Moves the projection tables of `live` to `previous` (emptied first) and those of `rebuilt`
 * into `live`, inside the caller's transaction: readers wait on the tables' locks for the moment
 * it takes and then see the new set under the same names, indexes and constraints included.
 */
export async function switchTableSets(
  trx: Kysely<Database>,
  schemas: { live: string; rebuilt: string; previous: string },
): Promise<void> {
  // A long query on the old tables would hold the move, and every reader queued behind it:
  // better to fail the rebuild (nothing switched) and run it again.
  await sql`SET LOCAL lock_timeout = '10s'`.execute(trx);
  await sql`DROP SCHEMA IF EXISTS ${sql.id(schemas.previous)} CASCADE`.execute(trx);
  await sql`CREATE SCHEMA ${sql.id(schemas.previous)}`.execute(trx);
  for (const table of projectionTableNames) {
    await sql`ALTER TABLE ${sql.id(schemas.live, table)} SET SCHEMA ${sql.id(schemas.previous)}`.execute(
      trx,
    );
    await sql`ALTER TABLE ${sql.id(schemas.rebuilt, table)} SET SCHEMA ${sql.id(schemas.live)}`.execute(
      trx,
    );
  }
}

/** Gives the planner statistics of freshly filled tables before queries reach them. */
export async function analyzeTables(db: Kysely<Database>, schema: string): Promise<void> {
  for (const table of projectionTableNames) {
    await sql`ANALYZE ${sql.id(schema, table)}`.execute(db);
  }
}

export async function dropSchema(db: Kysely<Database>, schema: string): Promise<void> {
  await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(db);
}

/**
 * Drops the indexes of the projection tables in `schema` that back no constraint, and answers
 * their definitions for `createIndexes`: a bulk load then maintains only the primary keys (its
 * upserts need them), and each index is built once from the loaded rows, which is much cheaper
 * than inserting every row into it (the events' text search index above all).
 */
export async function dropSecondaryIndexes(
  db: Kysely<Database>,
  schema: string,
): Promise<string[]> {
  const { rows } = await sql<{ name: string; definition: string }>`
    SELECT index.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
    FROM pg_index i
      JOIN pg_class index ON index.oid = i.indexrelid
      JOIN pg_class t ON t.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = ${schema} AND t.relname = ANY(${projectionTableNames}::text[])
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
    ORDER BY index.relname`.execute(db);
  for (const { name } of rows) await sql`DROP INDEX ${sql.id(schema, name)}`.execute(db);
  return rows.map((row) => row.definition);
}

/** Builds indexes from `dropSecondaryIndexes`' definitions, two at a time (one per core here). */
export async function createIndexes(
  db: Kysely<Database>,
  definitions: readonly string[],
): Promise<void> {
  const queue = [...definitions];
  await Promise.all(
    [0, 1].map(async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await sql.raw(next).execute(db);
    }),
  );
}
