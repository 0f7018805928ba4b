import { type Kysely, sql } from 'kysely';
import type { ChatKey } from '../../domain/projections/projection-fold.ts';
import type { Database } from './database.ts';
import { projectionTableNames, projectionTables } from './projection-tables.ts';

/**
 * The chats whose rows differ between two table sets (`live` and `rebuilt` schemas), compared
 * by Postgres, set against set (`EXCEPT` both ways), in one snapshot: rows only one set has, or
 * that differ in any column. Equality is Postgres's (a jsonb compares whatever order its keys
 * were written in), as the canonical dump's is. Generated columns are left out: they are
 * computed from the compared ones.
 */
export async function differingChats(
  db: Kysely<Database>,
  schemas: { live: string; rebuilt: string },
): Promise<ChatKey[]> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const chats = new Map<string, ChatKey>();
      for (const table of projectionTableNames) {
        const [organizationColumn, chatColumn] = projectionTables[table];
        const columns = sql.join(
          (await comparedColumns(trx, schemas.rebuilt, table)).map((column) => sql.id(column)),
        );
        const live = sql`SELECT ${columns} FROM ${sql.id(schemas.live, table)}`;
        const rebuilt = sql`SELECT ${columns} FROM ${sql.id(schemas.rebuilt, table)}`;
        const { rows } = await sql<ChatKey>`
          SELECT DISTINCT ${sql.ref(organizationColumn)} AS "organizationId",
            ${sql.ref(chatColumn)} AS "chatId"
          FROM ((${live} EXCEPT ${rebuilt}) UNION ALL (${rebuilt} EXCEPT ${live})) AS differing`.execute(
          trx,
        );
        for (const chat of rows) chats.set(`${chat.organizationId} ${chat.chatId}`, chat);
      }
      return [...chats.values()];
    });
}

async function comparedColumns(
  db: Kysely<Database>,
  schema: string,
  table: string,
): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT attname AS name FROM pg_attribute
    WHERE attrelid = format('%I.%I', ${schema}::text, ${table}::text)::regclass AND attnum > 0 AND NOT attisdropped
      AND attgenerated = ''
    ORDER BY attnum`.execute(db);
  return rows.map((row) => row.name);
}
