import { createDatabase, type Kysely, migrate } from '@threadline/postgres';
import { createTestDatabase, type TestDatabase } from '@threadline/testkit';
import { testInfrastructure } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouterDatabase } from '../src/adapters/postgres/database.ts';
import { migrations } from '../src/adapters/postgres/migrations/index.ts';
import {
  createRoutingSettingsStore,
  forgetGroupSettings,
  saveRoutingSettings,
} from '../src/adapters/postgres/routing-settings.ts';
import { defaultRoutingSettings, type RoutingSettings } from '../src/domain/routing-settings.ts';
import { schema } from '../src/router.ts';

let database: TestDatabase;
let db: Kysely<RouterDatabase>;
let store: ReturnType<typeof createRoutingSettingsStore>;

beforeAll(async () => {
  database = await createTestDatabase(testInfrastructure().databaseUrl);
  db = createDatabase<RouterDatabase>({ url: database.url, schema });
  await migrate(db, schema, migrations);
  store = createRoutingSettingsStore(db);
});

afterAll(async () => {
  await db.destroy();
  await database.drop();
});

const at = new Date('2026-11-25T12:00:00Z');
const manual: RoutingSettings = { ...defaultRoutingSettings, manualRouting: true };

describe('routing settings store', () => {
  it('reads the defaults for an organization that never set any', async () => {
    expect(await store.of('org-none')).toEqual(defaultRoutingSettings);
    expect(await store.of('org-none', 7)).toEqual(defaultRoutingSettings);
  });

  it("applies the organization's settings to every group, and a group's own over them", async () => {
    await saveRoutingSettings(db, {
      organizationId: 'org-a',
      groupId: undefined,
      settings: manual,
      position: 1,
      at,
    });
    await saveRoutingSettings(db, {
      organizationId: 'org-a',
      groupId: 3,
      settings: { manualRouting: false, defaultMaxChatsCount: 2 },
      position: 2,
      at,
    });
    expect(await store.of('org-a')).toEqual(manual);
    expect(await store.of('org-a', 5)).toEqual(manual);
    expect(await store.of('org-a', 3)).toEqual({
      ...manual,
      manualRouting: false,
      defaultMaxChatsCount: 2,
    });
    expect(await store.of('org-other')).toEqual(defaultRoutingSettings);
  });

  it('keeps group 0 apart from the organization', async () => {
    await saveRoutingSettings(db, {
      organizationId: 'org-g0',
      groupId: 0,
      settings: { preferRecentAgent: true },
      position: 1,
      at,
    });
    expect(await store.of('org-g0')).toEqual(defaultRoutingSettings);
    expect((await store.of('org-g0', 0)).preferRecentAgent).toBe(true);
  });

  it('replaces settings with a newer change and ignores an older one redelivered', async () => {
    const base = { organizationId: 'org-b', groupId: undefined, at };
    await saveRoutingSettings(db, { ...base, settings: manual, position: 10 });
    await saveRoutingSettings(db, {
      ...base,
      settings: { ...manual, chatInactiveAfterMin: 5 },
      position: 12,
    });
    await saveRoutingSettings(db, { ...base, settings: manual, position: 10 });
    expect((await store.of('org-b')).chatInactiveAfterMin).toBe(5);
  });

  it("forgets a deleted group's settings", async () => {
    await saveRoutingSettings(db, {
      organizationId: 'org-c',
      groupId: 4,
      settings: { manualRouting: true },
      position: 1,
      at,
    });
    await forgetGroupSettings(db, 'org-c', 4);
    expect(await store.of('org-c', 4)).toEqual(defaultRoutingSettings);
  });
});
