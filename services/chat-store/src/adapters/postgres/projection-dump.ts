import type { Kysely } from 'kysely';
import { type CanonicalDump, canonicalDump } from './canonical-dump.ts';
import type { Database } from './database.ts';
import { projectionTableNames, projectionTables } from './projection-tables.ts';

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
    let query = db.selectFrom(table).selectAll();
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
