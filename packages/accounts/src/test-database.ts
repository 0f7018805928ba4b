import { createDatabase, type Kysely } from '@threadline/postgres';
import { createTestDatabase, type TestDatabase } from '@threadline/testkit';
import { testInfrastructure } from '@threadline/testkit/testing';
import { afterAll, beforeAll } from 'vitest';
import type { AccountsDatabase } from './database.ts';
import { accountsSchema, migrateAccounts } from './migrations/index.ts';

/**
 * For this package's integration tests: a migrated database of the file's own, created before
 * its tests and dropped after them. Read `db` inside tests (it exists once `beforeAll` ran).
 */
export function useAccountsDatabase(): { readonly db: Kysely<AccountsDatabase> } {
  let database: TestDatabase | undefined;
  let db: Kysely<AccountsDatabase> | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(testInfrastructure().databaseUrl);
    db = createDatabase<AccountsDatabase>({ url: database.url, schema: accountsSchema });
    await migrateAccounts(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });
  return {
    get db() {
      if (!db) throw new Error('the test database is not ready yet');
      return db;
    },
  };
}
