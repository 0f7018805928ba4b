import { createHash } from 'node:crypto';

/**
 * A projection table set as comparable text: one line per row, `<table> <json>`, the JSON with
 * object keys sorted at every depth and the rows sorted by the table's key. Two sets folded from
 * the same batches give the same lines whatever order their rows were written in, whatever
 * order Postgres returns them and whatever order a jsonb or a row's columns list their keys.
 */
export interface CanonicalDump {
  /** Rows per table, tables in the order they were given. */
  counts: Record<string, number>;
  /** sha256 over every line, each followed by a newline. */
  digest: string;
  lines: string[];
}

export interface TableRows {
  table: string;
  key: readonly string[];
  rows: readonly Record<string, unknown>[];
}

export function canonicalDump(tables: readonly TableRows[]): CanonicalDump {
  const counts: Record<string, number> = {};
  const lines: string[] = [];
  const hash = createHash('sha256');
  for (const { table, key, rows } of tables) {
    counts[table] = rows.length;
    for (const row of sortByKey(rows, key)) {
      const line = `${table} ${JSON.stringify(canonicalValue(row))}`;
      lines.push(line);
      hash.update(`${line}\n`);
    }
  }
  return { counts, digest: hash.digest('hex'), lines };
}

/**
 * Values as JSON can compare them: keys sorted, `undefined` members dropped, dates as ISO text,
 * bigints and buffers as strings. Array order is kept: it is part of what the fold decided.
 */
export function canonicalValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (Array.isArray(value)) return value.map(canonicalValue);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const name of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[name];
      if (member !== undefined) sorted[name] = canonicalValue(member);
    }
    return sorted;
  }
  return value;
}

/** Sorts by the key columns, comparing code units (never the database's collation). */
function sortByKey(
  rows: readonly Record<string, unknown>[],
  key: readonly string[],
): readonly Record<string, unknown>[] {
  const keyOf = (row: Record<string, unknown>) => key.map((column) => row[column]);
  // Rows read in this order already (projection-dump.ts asks for it) take one pass to check.
  const sorted = rows.every(
    (row, index) => index === 0 || compareKeys(keyOf(rows[index - 1]!), keyOf(row)) <= 0,
  );
  if (sorted) return rows;
  return [...rows].sort((left, right) => compareKeys(keyOf(left), keyOf(right)));
}

function compareKeys(left: unknown[], right: unknown[]): number {
  for (let index = 0; index < left.length; index++) {
    const a = left[index];
    const b = right[index];
    if (a === b) continue;
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    return String(a) < String(b) ? -1 : 1;
  }
  return 0;
}

/** The lines only one of two dumps has, at most `limit` of each: what a refused switch prints. */
export function dumpDifferences(
  before: CanonicalDump,
  after: CanonicalDump,
  limit = 20,
): { onlyBefore: string[]; onlyAfter: string[] } {
  const onlyIn = (lines: string[], other: Set<string>) =>
    lines.filter((line) => !other.has(line)).slice(0, limit);
  return {
    onlyBefore: onlyIn(before.lines, new Set(after.lines)),
    onlyAfter: onlyIn(after.lines, new Set(before.lines)),
  };
}
