import { createDatabase, type Kysely, migrate } from '@threadline/postgres';
import { createTestDatabase } from '@threadline/testkit';
import { testInfrastructure } from '@threadline/testkit/testing';
import type { WebhookDatabase } from '../src/adapters/postgres/database.ts';
import { migrations } from '../src/adapters/postgres/migrations/index.ts';

/** A database of the test file's own with the `webhook` schema migrated; `close` drops it. */
export async function openMigratedDatabase() {
  const database = await createTestDatabase(testInfrastructure().databaseUrl, 'tl_webhook');
  const db: Kysely<WebhookDatabase> = createDatabase<WebhookDatabase>({
    url: database.url,
    schema: 'webhook',
  });
  await migrate(db, 'webhook', migrations);
  return {
    db,
    async close() {
      await db.destroy();
      await database.drop();
    },
  };
}
