import { createTestDatabase, type TestDatabase } from '@threadline/testkit';
import { testInfrastructure } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileOnce, createDatabase, type Kysely, sql } from './index.ts';

let database: TestDatabase;
let db: Kysely<Record<string, never>>;

beforeAll(async () => {
  database = await createTestDatabase(testInfrastructure().databaseUrl);
  db = createDatabase({ url: database.url, schema: 'public', poolSize: 2 });
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

describe('createDatabase', () => {
  it('survives Postgres ending a connection in the middle of a transaction, and goes on', async () => {
    // What a Postgres restart does to every connection: FATAL 57P01, here to just this one.
    const transaction = db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
      await sql`SELECT pg_terminate_backend(${rows[0]!.pid})`.execute(db);
      // The connection is checked out and idle when the termination arrives.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await sql`SELECT 1`.execute(trx);
    });
    await expect(transaction).rejects.toThrow();
    const { rows } = await sql<{ answer: number }>`SELECT 42 AS answer`.execute(db);
    expect(rows).toEqual([{ answer: 42 }]);
  });
});

describe('compileOnce', () => {
  const echo = compileOnce(
    (_db: typeof db, name: string, ids: number[]) =>
      sql<{
        name: string;
        ids: number[];
        fixed: string;
      }>`SELECT ${name}::text AS name, ${ids}::int[] AS ids, ${'constant'}::text AS fixed`,
  );

  it('runs the SQL compiled once with each call’s arguments, keeping constants', async () => {
    expect((await echo(db, 'ann', [1, 2])).rows).toEqual([
      { name: 'ann', ids: [1, 2], fixed: 'constant' },
    ]);
    expect((await echo(db, 'bob', [])).rows).toEqual([{ name: 'bob', ids: [], fixed: 'constant' }]);
  });

  it('refuses a query that leaves an argument out', () => {
    expect(() => compileOnce((_db: typeof db, _unused: string) => sql`SELECT 1`)(db, 'x')).toThrow(
      /every argument/,
    );
  });
});
