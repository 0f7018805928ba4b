import { createDatabase, type Kysely, migrate } from '@threadline/postgres';
import type { RoutingPropertyName } from '@threadline/protocol';
import { createTestDatabase, type TestDatabase } from '@threadline/testkit';
import { testInfrastructure } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentDirectory } from '../src/adapters/postgres/agent-directory.ts';
import type { RouterDatabase } from '../src/adapters/postgres/database.ts';
import { migrations } from '../src/adapters/postgres/migrations/index.ts';
import {
  changeRoutingSettings,
  createRoutingSettingsStore,
  forgetGroupSettings,
} from '../src/adapters/postgres/routing-settings.ts';
import {
  defaultRoutingSettings,
  type RoutingPropertyValues,
  type RoutingSettings,
} from '../src/domain/routing-settings.ts';
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
const change = (
  organizationId: string,
  groupId: number | undefined,
  set: RoutingPropertyValues,
  unset: RoutingPropertyName[] = [],
) => changeRoutingSettings(db, { organizationId, groupId, set, unset, position: 1, at });

describe('routing settings store', () => {
  it('reads the defaults for an organization that never set any', async () => {
    expect(await store.of('org-none')).toEqual(defaultRoutingSettings);
    expect(await store.of('org-none', 7)).toEqual(defaultRoutingSettings);
  });

  it("applies the organization's settings to every group, and a group's own over them", async () => {
    await change('org-a', undefined, { manual_routing: true });
    await change('org-a', 3, { manual_routing: false, max_agent_active_chats: 2 });
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
    await change('org-g0', 0, { prefer_recent_agent: true });
    expect(await store.of('org-g0')).toEqual(defaultRoutingSettings);
    expect((await store.of('org-g0', 0)).preferRecentAgent).toBe(true);
  });

  it('keeps what earlier changes set, and a deleted property reads its default again', async () => {
    await change('org-b', undefined, { manual_routing: true });
    await change('org-b', undefined, { chat_inactive_after_min: 5 });
    expect(await store.of('org-b')).toEqual({ ...manual, chatInactiveAfterMin: 5 });
    await change('org-b', undefined, {}, ['manual_routing']);
    expect(await store.of('org-b')).toEqual({ ...defaultRoutingSettings, chatInactiveAfterMin: 5 });
  });

  it("forgets a deleted group's settings", async () => {
    await change('org-c', 4, { manual_routing: true });
    await forgetGroupSettings(db, 'org-c', 4);
    expect(await store.of('org-c', 4)).toEqual(defaultRoutingSettings);
  });
});

describe('agent directory', () => {
  const clock = { now: () => at };
  const created = (agentId: string, maxChatsCount: number | undefined) =>
    ({
      type: 'agent_configured',
      agentId,
      userType: 'agent',
      created: true,
      fields: { name: agentId, groupPriorities: { 0: 'normal' }, maxChatsCount },
    }) as const;
  const limitOf = async (organizationId: string, agentId: string) =>
    (
      await db
        .selectFrom('agents')
        .select('max_chats_count')
        .where('organization_id', '=', organizationId)
        .where('agent_id', '=', agentId)
        .executeTakeFirstOrThrow()
    ).max_chats_count;

  it('applies a change once: its redelivery and older changes are skipped', async () => {
    const directory = createAgentDirectory(db, clock);
    expect(await directory.apply('org-d', 5, created('a@x.io', 3))).toBe(true);
    expect(await directory.apply('org-d', 7, created('a@x.io', 4))).toBe(true);
    expect(await directory.apply('org-d', 7, created('a@x.io', 9))).toBe(false);
    expect(await directory.apply('org-d', 6, created('a@x.io', 9))).toBe(false);
    expect(await limitOf('org-d', 'a@x.io')).toBe(4);
    // Positions are the organization's own.
    expect(await directory.apply('org-e', 1, created('a@x.io', 2))).toBe(true);
    expect(await limitOf('org-e', 'a@x.io')).toBe(2);
  });

  it('applies concurrent changes of one organization one after the other', async () => {
    const directory = createAgentDirectory(db, clock);
    const results = await Promise.all(
      [1, 2, 3, 4].map((position) =>
        directory.apply('org-f', position, created('a@x.io', position)),
      ),
    );
    // Whatever order they ran in, the newest limit is the one kept.
    expect(results.filter(Boolean).length).toBeGreaterThanOrEqual(1);
    expect(await limitOf('org-f', 'a@x.io')).toBe(4);
  });

  it("keeps a group's members and settings until the group is deleted", async () => {
    const directory = createAgentDirectory(db, clock);
    await directory.apply('org-g', 1, created('a@x.io', undefined));
    await directory.apply('org-g', 2, {
      type: 'group_members_set',
      groupId: 4,
      priorities: { 'a@x.io': 'first', 'unknown@x.io': 'normal' },
    });
    await directory.apply('org-g', 3, {
      type: 'routing_settings_changed',
      groupId: 4,
      set: { manual_routing: true },
      unset: [],
    });
    const agents = await db
      .selectFrom('agents')
      .select(['agent_id', 'group_ids', 'group_priorities'])
      .where('organization_id', '=', 'org-g')
      .execute();
    expect(agents).toEqual([
      { agent_id: 'a@x.io', group_ids: [0, 4], group_priorities: { 0: 'normal', 4: 'first' } },
    ]);
    expect((await store.of('org-g', 4)).manualRouting).toBe(true);

    await directory.apply('org-g', 4, { type: 'group_deleted', groupId: 4 });
    const after = await db
      .selectFrom('agents')
      .select(['group_ids', 'group_priorities'])
      .where('organization_id', '=', 'org-g')
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ group_ids: [0], group_priorities: { 0: 'normal' } });
    expect((await store.of('org-g', 4)).manualRouting).toBe(false);
  });
});
