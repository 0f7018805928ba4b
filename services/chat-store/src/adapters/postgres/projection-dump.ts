import { type Kysely, sql } from 'kysely';
import { type CanonicalDump, canonicalDump } from './canonical-dump.ts';
import type { Database } from './database.ts';
import {
  type ProjectionTable,
  projectionTableNames,
  projectionTables,
} from './projection-tables.ts';

export interface ChatKey {
  organizationId: string;
  chatId: string;
}

/**
 * The canonical dump (canonical-dump.ts) of the projection tables `db` resolves, every column
 * of each (a column a migration adds is compared without changing this), optionally of one
 * organization. Reads within the caller's transaction when given one; `dumpProjections` reads
 * all tables from one snapshot.
 */
export async function readProjectionDump(
  db: Kysely<Database>,
  organizationId?: string,
): Promise<CanonicalDump> {
  const tables = [];
  for (const table of projectionTableNames) {
    // In the dump's order when the database's collation sorts text as JavaScript does (C):
    // canonicalDump then only checks the order rather than sorting.
    let query = db.selectFrom(table).selectAll();
    for (const column of projectionTables[table]) query = query.orderBy(sql.ref(column));
    if (organizationId) query = query.where('organization_id', '=', organizationId);
    tables.push({ table, key: projectionTables[table], rows: await query.execute() });
  }
  return canonicalDump(tables);
}

/** `readProjectionDump` in one repeatable-read transaction, so writers do not tear it. */
export function dumpProjections(
  db: Kysely<Database>,
  organizationId?: string,
): Promise<CanonicalDump> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute((trx) => readProjectionDump(trx, organizationId));
}

const chatsPerQuery = 1_000;

/** The canonical dump of some chats' rows only (what a rebuild compares while writers wait). */
export async function readChatsDump(
  db: Kysely<Database>,
  chats: readonly ChatKey[],
): Promise<CanonicalDump> {
  const tables = [];
  for (const table of projectionTableNames) {
    const [organizationColumn, chatColumn] = projectionTables[table];
    const rows = [];
    for (let start = 0; start < chats.length; start += chatsPerQuery) {
      const pairs = chats
        .slice(start, start + chatsPerQuery)
        .map((chat) => sql`(${chat.organizationId}, ${chat.chatId})`);
      const inChats = sql<boolean>`(${sql.ref(organizationColumn)}, ${sql.ref(chatColumn)})
        IN (${sql.join(pairs)})`;
      rows.push(...(await db.selectFrom(table).selectAll().where(inChats).execute()));
    }
    tables.push({ table, key: projectionTables[table], rows });
  }
  return canonicalDump(tables);
}

/** The chats that lines of a dump (`<table> <json>`) belong to. */
export function chatsOfLines(lines: readonly string[]): ChatKey[] {
  return lines.map((line) => {
    const space = line.indexOf(' ');
    const [organizationColumn, chatColumn] =
      projectionTables[line.slice(0, space) as ProjectionTable];
    const row = JSON.parse(line.slice(space + 1)) as Record<string, string>;
    return { organizationId: row[organizationColumn]!, chatId: row[chatColumn]! };
  });
}
