import { createDatabase, type Kysely, migrate } from '@threadline/postgres';
import { createTestDatabase, type TestDatabase } from '@threadline/testkit';
import { testInfrastructure } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActiveThreads } from '../src/adapters/postgres/active-threads.ts';
import type { RouterDatabase } from '../src/adapters/postgres/database.ts';
import { migrations } from '../src/adapters/postgres/migrations/index.ts';
import { evolveActivity } from '../src/domain/thread-timers.ts';
import { schema } from '../src/router.ts';

/**
 * Active threads take each chat event's change without holding the row locked: a change is
 * written only over the row it was computed from, so concurrent changes (two replicas, many
 * events of one chat at once) all land, none overwrites another.
 */
let database: TestDatabase;
let db: Kysely<RouterDatabase>;

beforeAll(async () => {
  database = await createTestDatabase(testInfrastructure().databaseUrl);
  db = createDatabase<RouterDatabase>({ url: database.url, schema, poolSize: 8 });
  await migrate(db, schema, migrations);
});

afterAll(async () => {
  await db.destroy();
  await database.drop();
});

const start = Date.parse('2026-12-06T10:00:00Z');

describe('active threads', () => {
  it('keeps every one of many concurrent changes of one chat', async () => {
    const threads = createActiveThreads(db);
    const times = Array.from({ length: 40 }, (_, index) => start + (index + 1) * 1_000);
    await Promise.all(
      times.map((at, index) =>
        threads.change('org1', 'C1', 'T1', {
          startedAt: start,
          evolve: (activity) =>
            evolveActivity(activity, { author: index % 2 === 0 ? 'customer' : 'agent', at }),
        }),
      ),
    );
    const thread = await threads.find('org1', 'C1');
    const customerTimes = times.filter((_, index) => index % 2 === 0);
    const agentTimes = times.filter((_, index) => index % 2 === 1);
    expect(thread?.activity).toMatchObject({
      startedAt: start,
      customerLastEventAt: Math.max(...customerTimes),
      agentLastEventAt: Math.max(...agentTimes),
    });
    const row = await db
      .selectFrom('active_threads')
      .select('revision')
      .where('chat_id', '=', 'C1')
      .executeTakeFirstOrThrow();
    // The first change inserted the row; each other one moved it on once.
    expect(row.revision).toBe(times.length - 1);
  });

  it('never brings back the row of a thread that closed', async () => {
    const threads = createActiveThreads(db);
    await db
      .insertInto('closed_threads')
      .values({ organization_id: 'org1', chat_id: 'C2', thread_id: 'T1', closed_at: new Date() })
      .execute();
    await threads.change('org1', 'C2', 'T1', {
      startedAt: start,
      evolve: (activity) => evolveActivity(activity, { author: 'customer', at: start }),
    });
    expect(await threads.find('org1', 'C2')).toBeUndefined();
  });
});
