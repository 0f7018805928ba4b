import { randomUUID } from 'node:crypto';
import { readSubject } from '@threadline/bus';
import type { Requester } from '@threadline/contracts';
import { createDatabase, migrate } from '@threadline/postgres';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBatch } from './adapters/nats/batch-codec.ts';
import { createBatchSealer } from './adapters/personal-data/batch-sealer.ts';
import type { Database } from './adapters/postgres/database.ts';
import { migrations } from './adapters/postgres/migrations/index.ts';
import { dumpProjections } from './adapters/postgres/projection-dump.ts';
import {
  applyBatch,
  createProjectionWriter,
  writersLockKey,
} from './adapters/postgres/projection-writer.ts';
import type { ChatBatch, ProjectionOutcome } from './application/ports.ts';
import { schema } from './chat-store.ts';
import {
  ProjectionMismatchError,
  type RebuildOptions,
  rebuildProjections,
} from './projection-rebuild.ts';
import { startTestChatStores, type TestChatStores } from './testing/harness.ts';

let sut: TestChatStores;

beforeAll(async () => {
  sut = await startTestChatStores(2);
});
afterAll(async () => {
  await sut?.stop();
});

const rebuild = (options: Partial<RebuildOptions> = {}) =>
  rebuildProjections({
    bus: sut.client,
    subjects: sut.subjects,
    databaseUrl: sut.database.url,
    schema,
    open: createBatchSealer(sut.keys).open,
    ...options,
  });

/** A customer's chat with messages, an agent, a closed thread and a resumed one. */
async function aConversation(organizationId = sut.organizationId): Promise<string> {
  const customer = sut.customer({ organizationId });
  const agent = sut.agent({ organizationId });
  const router = { ...sut.router(), organizationId };
  const { chat_id, thread_id } = await sut.execute<{ chat_id: string; thread_id: string }>(
    'start_chat',
    { chat: { thread: { events: [{ type: 'message', text: 'hello' }] } } },
    customer,
  );
  await sut.execute(
    'assign_agent',
    { chat_id, thread_id, agent: { id: agent.userId, name: agent.name } },
    router,
  );
  await sut.execute('send_event', { chat_id, event: { type: 'message', text: 'hi' } }, agent);
  await sut.execute('tag_thread', { chat_id, thread_id, tag: 'sales' }, agent);
  await sut.execute('deactivate_chat', { id: chat_id }, agent);
  await sut.execute('resume_chat', { chat: { id: chat_id } }, customer);
  await sut.execute('send_event', { chat_id, event: { type: 'message', text: 'back' } }, customer);
  return chat_id;
}

/** Every batch the stream holds for an organization's chats, in stream order. */
async function batchesOf(organizationId: string): Promise<ChatBatch[]> {
  const messages = await readSubject(
    sut.client.jetstream,
    sut.subjects.chatStream,
    sut.subjects.allChatEvents,
  );
  // Stored sealed; folded opened, as the projector does.
  const open = createBatchSealer(sut.keys).open;
  return Promise.all(
    messages
      .map((message) => decodeBatch(message.data))
      .filter((batch) => batch.organizationId === organizationId)
      .map(open),
  );
}

/** The identity of the table `events` names now. */
async function eventsTable(): Promise<number> {
  const { rows } = await sql<{ oid: number }>`SELECT 'events'::regclass::oid AS oid`.execute(
    sut.db,
  );
  return rows[0]!.oid;
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(Math.random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}

describe('projection folding', () => {
  it('folds a batch whose chat another writer held, on the rows that writer committed', async () => {
    const organizationId = randomUUID();
    await aConversation(organizationId);
    const live = await dumpProjections(sut.db, organizationId);
    const batches = await batchesOf(organizationId);
    const scratchSchema = `chat_store_held_${randomUUID().slice(0, 8)}`;
    const scratch = createDatabase<Database>({ url: sut.database.url, schema: scratchSchema });
    try {
      await migrate(scratch, scratchSchema, migrations);
      const writer = createProjectionWriter(scratch, { pausable: false });
      const last = batches.length - 1;
      for (const batch of batches.slice(0, last - 1)) await writer.apply(batch);
      // The next-to-last batch is applied in a transaction held open while the last one comes:
      // its read waits on the chat row and must not fold the threads as they were before.
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const holding = scratch.transaction().execute(async (trx) => {
        expect(await applyBatch(trx, batches[last - 1]!)).toBe('applied');
        await held;
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const waiting = writer.apply(batches[last]!);
      await new Promise((resolve) => setTimeout(resolve, 200));
      release();
      await holding;
      expect(await waiting).toBe('applied');
      expect(await dumpProjections(scratch, organizationId)).toEqual(live);
    } finally {
      await sql`DROP SCHEMA ${sql.id(scratchSchema)} CASCADE`.execute(scratch);
      await scratch.destroy();
    }
  });

  it('changes nothing when every batch is delivered again, out of order and at once', async () => {
    const organizationId = randomUUID();
    for (let index = 0; index < 3; index++) await aConversation(organizationId);
    const before = await dumpProjections(sut.db, organizationId);
    const batches = await batchesOf(organizationId);
    expect(batches.length).toBeGreaterThanOrEqual(3 * 7);

    const writer = createProjectionWriter(sut.db);
    const outcomes = await Promise.all(
      [...shuffled(batches), ...batches.toReversed()].map((batch) => writer.apply(batch)),
    );

    expect(new Set(outcomes)).toEqual(new Set(['skipped']));
    expect(await dumpProjections(sut.db, organizationId)).toEqual(before);
  });

  it('folds batches redelivered in any order into the same set as in-order delivery', async () => {
    const organizationId = randomUUID();
    for (let index = 0; index < 3; index++) await aConversation(organizationId);
    const live = await dumpProjections(sut.db, organizationId);
    const batches = await batchesOf(organizationId);
    const scratchSchema = `chat_store_redelivery_${randomUUID().slice(0, 8)}`;
    const scratch = createDatabase<Database>({ url: sut.database.url, schema: scratchSchema });
    try {
      await migrate(scratch, scratchSchema, migrations);
      const writer = createProjectionWriter(scratch, { pausable: false });
      // As the projector does: every round delivers everything again; gaps come back later.
      const outcomes: ProjectionOutcome[] = [];
      for (let round = 0; round < 50; round++) {
        const delivered = await Promise.all(shuffled(batches).map((batch) => writer.apply(batch)));
        outcomes.push(...delivered);
        if (!delivered.includes('gap')) break;
      }
      expect(outcomes).toContain('gap');
      expect(outcomes.filter((outcome) => outcome === 'applied')).toHaveLength(batches.length);
      expect(await dumpProjections(scratch, organizationId)).toEqual(live);
    } finally {
      await sql`DROP SCHEMA ${sql.id(scratchSchema)} CASCADE`.execute(scratch);
      await scratch.destroy();
    }
  });
});

/** A customer writing to their chat and reading it back after every write, until stopped. */
function aBusyCustomer(customer: Requester, chatId: string) {
  const sent: string[] = [];
  const failures: unknown[] = [];
  let reads = 0;
  let stopped = false;
  const running = (async () => {
    while (!stopped) {
      try {
        const { event_id } = await sut.execute<{ event_id: string }>(
          'send_event',
          { chat_id: chatId, event: { type: 'message', text: `m${sent.length}` } },
          customer,
        );
        sent.push(event_id);
        const chat = await sut.query<{ thread: { events: { id: string }[] } }>(
          'get_chat',
          { chat_id: chatId },
          customer,
        );
        reads++;
        if (!chat.thread.events.some((event) => event.id === event_id))
          failures.push(`get_chat after send_event lacks ${event_id}`);
      } catch (error) {
        failures.push(error);
      }
    }
  })();
  return {
    sent,
    failures,
    reads: () => reads,
    async stop() {
      stopped = true;
      await running;
    },
  };
}

describe('projection rebuild', () => {
  it('is rebuilt identically from the stream into new tables, keeping the old ones', async () => {
    await aConversation();
    await sut.execute(
      'start_chat',
      { chat: { access: { group_ids: [3] }, properties: { source: { x: 1 } } } },
      sut.agent({ groupIds: [3] }),
    );
    const before = await dumpProjections(sut.db);
    const tablesBefore = await eventsTable();

    const report = await rebuild();

    expect(report.batches.replayed).toBeGreaterThanOrEqual(8);
    expect(report.digest).toEqual({ before: before.digest, after: before.digest });
    expect(await dumpProjections(sut.db)).toEqual(before);
    expect(await eventsTable()).not.toBe(tablesBefore);
    const kept = await sql<{ count: number }>`SELECT count(*)::int AS count
      FROM chat_store_previous.events`.execute(sut.db);
    expect(kept.rows[0]?.count).toBe(before.counts.events);
  });

  it('rebuilds a larger history identically with chats crossing fetches and read back', async () => {
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let index = 0; index < 10; index++) await aConversation();
      }),
    );
    // Events changed after they were written: the fold reads them back from the new set.
    for (let index = 0; index < 6; index++) {
      const customer = sut.customer();
      const { chat_id, thread_id } = await sut.execute<{ chat_id: string; thread_id: string }>(
        'start_chat',
        { chat: { thread: { events: [{ type: 'message', text: 'hello' }] } } },
        customer,
      );
      const send = (text: string) =>
        sut.execute<{ event_id: string }>(
          'send_event',
          { chat_id, event: { type: 'message', text } },
          customer,
        );
      const { event_id } = await send('to delete');
      await send('more');
      await sut.execute('delete_event', { chat_id, thread_id, event_id }, customer);
    }
    const before = await dumpProjections(sut.db);
    expect(before.counts.events).toBeGreaterThan(40 * 4);

    // Fetches of 7 batches and two chats held: nearly every fetch reads chats back.
    const report = await rebuild({ fold: { batchesPerFetch: 7, maxHeldChats: 2 } });

    expect(report.batches.replayed).toBeGreaterThan(40 * 7);
    expect(report.digest).toEqual({ before: before.digest, after: before.digest });
    expect(await dumpProjections(sut.db)).toEqual(before);
    expect(report.phases.replay).toBeGreaterThan(0);
  });

  it('switches to an identical set while two replicas keep reading and writing', async () => {
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let index = 0; index < 10; index++) await aConversation();
      }),
    );
    const customers = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const customer = sut.customer();
        const { chat_id } = await sut.execute<{ chat_id: string }>('start_chat', {}, customer);
        return aBusyCustomer(customer, chat_id);
      }),
    );
    const sent = () => customers.reduce((sum, busy) => sum + busy.sent.length, 0);
    const until = async (count: number) => {
      while (sent() < count) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    await until(8);
    const readsBefore = customers.map((busy) => busy.reads());

    // Writes land after the first pass and after the first comparison, so the catch-up and
    // the pause must carry them, and the pause must compare their chats again.
    const writesAfter = { replayed: 12, compared: 4 } as Record<string, number>;
    const report = await rebuild({
      progress: (step) => until(sent() + (writesAfter[step] ?? 0)),
    });

    const readsAfter = customers.map((busy) => busy.reads());
    await new Promise((resolve) => setTimeout(resolve, 200));
    await Promise.all(customers.map((busy) => busy.stop()));
    expect(customers.flatMap((busy) => busy.failures)).toEqual([]);
    expect(readsAfter.every((reads, index) => reads > readsBefore[index]!)).toBe(true);
    expect(report.digest.after).toBeTypeOf('string');
    expect(report.batches.replayed).toBeGreaterThan(40 * 7);
    expect(report.batches.caughtUp + report.batches.paused).toBeGreaterThanOrEqual(16);
    expect(report.batches.paused).toBeGreaterThanOrEqual(4);
    expect(report.chatsComparedInPause).toBeGreaterThanOrEqual(1);
    // Every acknowledged write, in the switched set once, and nothing else.
    for (const busy of customers) {
      const chatId = (
        await sut.db
          .selectFrom('events')
          .select('chat_id')
          .where('id', '=', busy.sent[0]!)
          .executeTakeFirstOrThrow()
      ).chat_id;
      const stored = await sut.db
        .selectFrom('events')
        .select('id')
        .where('chat_id', '=', chatId)
        .orderBy('event_order')
        .execute();
      expect(stored.map((row) => row.id)).toEqual(busy.sent);
    }
    // A later rebuild of the now quiet projections finds the switched set identical to the stream.
    const settled = await dumpProjections(sut.db);
    const again = await rebuild({ dropOld: true });
    expect(again.digest).toEqual({ before: settled.digest, after: settled.digest });
    expect(again).toMatchObject({ oldSetCaughtUp: 0, chatsComparedInPause: 0 });
    const schemas = await sql<{ name: string }>`SELECT nspname AS name FROM pg_namespace
      WHERE nspname LIKE 'chat_store%' ORDER BY nspname`.execute(sut.db);
    expect(schemas.rows.map((row) => row.name)).toEqual(['chat_store']);
  });

  it('holds live writers while a switch has their lock, and not the rebuilt set', async () => {
    const organizationId = randomUUID();
    await aConversation(organizationId);
    const [batch] = await batchesOf(organizationId);
    let released = false;
    const outcome = await sut.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${writersLockKey})`.execute(trx);
      const held = createProjectionWriter(sut.db)
        .apply(batch!)
        .then((result) => ({ result, released }));
      expect(await createProjectionWriter(sut.db, { pausable: false }).apply(batch!)).toBe(
        'skipped',
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      released = true;
      return { held };
    });
    expect(await outcome.held).toEqual({ result: 'skipped', released: true });
  });

  it('refuses a second rebuild while one runs', async () => {
    await aConversation();
    const outcomes = await Promise.allSettled([rebuild(), rebuild()]);

    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected');
    expect(String(refused?.reason)).toContain('another projection rebuild is running');
  });

  it('refuses to switch when the rebuilt set differs from the live one', async () => {
    const chatId = await aConversation();
    const row = await sut.db
      .selectFrom('chats')
      .select('properties')
      .where('id', '=', chatId)
      .executeTakeFirstOrThrow();
    await sut.db
      .updateTable('chats')
      .set({ properties: JSON.stringify({ tampered: { by: 'hand' } }) })
      .where('id', '=', chatId)
      .execute();
    try {
      const error = await rebuild().catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(ProjectionMismatchError);
      const { onlyBefore, onlyAfter } = (error as ProjectionMismatchError).differences;
      expect(onlyBefore).toHaveLength(1);
      expect(onlyBefore[0]).toContain('"tampered"');
      expect(onlyAfter).toHaveLength(1);
      expect(onlyAfter[0]).toContain(chatId);
      const live = await sut.db
        .selectFrom('chats')
        .select('properties')
        .where('id', '=', chatId)
        .executeTakeFirstOrThrow();
      expect(live.properties).toEqual({ tampered: { by: 'hand' } });
    } finally {
      await sut.db
        .updateTable('chats')
        .set({ properties: JSON.stringify(row.properties) })
        .where('id', '=', chatId)
        .execute();
    }
  });
});
