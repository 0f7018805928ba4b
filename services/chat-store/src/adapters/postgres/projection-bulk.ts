import { type Kysely, type RawBuilder, sql } from 'kysely';
import type {
  ChatKey,
  EventKey,
  FoldedRows,
  FoldSeed,
} from '../../domain/projections/projection-fold.ts';
import type { Database } from './database.ts';
import type { ProjectionTable } from './projection-tables.ts';
import * as mapping from './row-mapping.ts';

/**
 * Reads and writes the projection tables for `ProjectionFold` (a rebuild filling a table set
 * nobody else writes): reads the stored rows a fold needs, and writes what it folded as one
 * multi-row statement per table (arrays of each column, `unnest`ed) rather than a transaction
 * per batch. Each row is upserted whole: the fold hands over a row's latest state.
 */
export function createBulkProjectionWriter(db: Kysely<Database>) {
  const types = new Map<ProjectionTable, Promise<Map<string, string>>>();
  const typesOf = (table: ProjectionTable) => {
    if (!types.has(table)) types.set(table, columnTypes(db, table));
    return types.get(table)!;
  };

  async function upsert(table: ProjectionTable, rows: readonly Record<string, unknown>[]) {
    if (rows.length === 0) return;
    const types = await typesOf(table);
    for (let start = 0; start < rows.length; start += rowsPerStatement) {
      await upsertStatement(table, types, rows.slice(start, start + rowsPerStatement)).execute(db);
    }
  }

  return {
    async read(needed: { chats: readonly ChatKey[]; events: readonly EventKey[] }) {
      const seed: FoldSeed = { chats: [], threads: [], events: [] };
      if (needed.chats.length) {
        const organizations = needed.chats.map((chat) => chat.organizationId);
        const ids = needed.chats.map((chat) => chat.chatId);
        const [chats, threads] = await Promise.all([
          db
            .selectFrom('chats')
            .selectAll()
            .where(inPairs('organization_id', 'id', organizations, ids))
            .execute(),
          db
            .selectFrom('threads')
            .selectAll()
            .where(inPairs('organization_id', 'chat_id', organizations, ids))
            .execute(),
        ]);
        seed.chats = chats.map(mapping.toChatRow);
        seed.threads = threads.map(mapping.toThreadRow);
      }
      if (needed.events.length) {
        const events = await db
          .selectFrom('events')
          .select(mapping.eventColumns)
          .where(
            sql<boolean>`(organization_id, chat_id, id) IN (SELECT * FROM unnest(
              ${needed.events.map((event) => event.organizationId)}::text[],
              ${needed.events.map((event) => event.chatId)}::text[],
              ${needed.events.map((event) => event.id)}::text[]))`,
          )
          .execute();
        seed.events = events.map(mapping.toEventRow);
      }
      return seed;
    },

    /** Each table in its own statements, side by side: nothing ties one table's rows to another's. */
    async write(rows: FoldedRows) {
      await Promise.all([
        upsert('chats', rows.chats.map(mapping.fromChatRow)),
        upsert('threads', rows.threads.map(mapping.fromThreadRow)),
        upsert('events', rows.events.map(mapping.fromEventRow)),
        upsert(
          'chat_users',
          rows.chatUsers.map((user) => ({
            organization_id: user.organizationId,
            chat_id: user.chatId,
            user_id: user.userId,
            user_type: user.userType,
          })),
        ),
      ]);
    },
  };
}

/** Big enough that statements cost little each, small enough to keep a statement's text modest. */
const rowsPerStatement = 5_000;

/** Each table's primary key, what an upsert conflicts on. */
const primaryKeys: Record<ProjectionTable, readonly string[]> = {
  chats: ['organization_id', 'id'],
  chat_users: ['organization_id', 'chat_id', 'user_id'],
  threads: ['organization_id', 'chat_id', 'id'],
  events: ['organization_id', 'chat_id', 'id'],
};

/**
 * `INSERT … SELECT … FROM unnest(<one text[] per column>) ON CONFLICT`: a constant number of
 * parameters whatever the rows, each value cast from text to its column's type in Postgres. A
 * chat user's row, once there, stays as first written (as the live writer keeps it); any other
 * row takes every column of the fold's latest state.
 */
function upsertStatement(
  table: ProjectionTable,
  types: ReadonlyMap<string, string>,
  rows: readonly Record<string, unknown>[],
): RawBuilder<unknown> {
  const columns = Object.keys(rows[0]!);
  const key = primaryKeys[table];
  const updated = columns.filter((column) => !key.includes(column));
  const onConflict =
    table === 'chat_users'
      ? sql`DO NOTHING`
      : sql`DO UPDATE SET ${sql.join(updated.map((column) => sql`${sql.id(column)} = ${sql.ref(`excluded.${column}`)}`))}`;
  const values = columns.map((column) => {
    const type = types.get(column);
    if (!type) throw new Error(`${table}.${column} is not a column the bulk writer can write`);
    return { column, type, texts: rows.map((row) => asText(row[column])) };
  });
  return sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((column) => sql.id(column)))})
    SELECT ${sql.join(values.map(({ column, type }) => sql`${sql.ref(`u.${column}`)}::${sql.raw(type)}`))}
    FROM unnest(${sql.join(values.map(({ texts }) => sql`${texts}::text[]`))})
      AS u(${sql.join(columns.map((column) => sql.id(column)))})
    ON CONFLICT (${sql.join(key.map((column) => sql.id(column)))}) ${onConflict}`;
}

/** A column value as Postgres reads it from text (jsonb columns arrive as JSON text already). */
function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return `{${value.map(arrayElement).join(',')}}`;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function arrayElement(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') return String(value);
  return `"${String(value).replace(/[\\"]/g, '\\$&')}"`;
}

/** The writable columns of a table (generated ones are Postgres's to fill) and their types. */
async function columnTypes(db: Kysely<Database>, table: string): Promise<Map<string, string>> {
  const { rows } = await sql<{ name: string; type: string }>`
    SELECT attname AS name, format_type(atttypid, atttypmod) AS type
    FROM pg_attribute
    WHERE attrelid = to_regclass(${table}) AND attnum > 0 AND NOT attisdropped
      AND attgenerated = ''`.execute(db);
  return new Map(rows.map((row) => [row.name, row.type]));
}

function inPairs(
  organizationColumn: string,
  chatColumn: string,
  organizations: readonly string[],
  chats: readonly string[],
): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(organizationColumn)}, ${sql.ref(chatColumn)}) IN (
    SELECT * FROM unnest(${organizations}::text[], ${chats}::text[]))`;
}
