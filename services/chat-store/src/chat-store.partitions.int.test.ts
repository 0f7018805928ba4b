import { callService, chatPartition, chatStorePartitions } from '@threadline/bus';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningChatStore } from './chat-store.ts';
import { startTestChatStores, type TestChatStores } from './testing/harness.ts';

let sut: TestChatStores;

beforeAll(async () => {
  sut = await startTestChatStores(2);
  await partitionsSettled(sut.instances);
});
afterAll(async () => {
  await sut?.stop();
});

/**
 * Until every partition has exactly one owner and every replica owns some: a replica that has
 * not yet counted itself a member owns none while the other, not having heard it, owns all.
 */
async function partitionsSettled(instances: RunningChatStore[]): Promise<void> {
  const all = Array.from({ length: chatStorePartitions }, (_, index) => index);
  await vi.waitFor(
    () => {
      for (const instance of instances)
        expect(instance.partitions.owned().length).toBeGreaterThan(0);
      const owned = instances.flatMap((instance) => instance.partitions.owned());
      expect(owned.sort((a, b) => a - b)).toEqual(all);
    },
    { timeout: 10_000, interval: 50 },
  );
}

async function counted(instance: RunningChatStore, metric: string, labels: object) {
  const values = (await instance.registry.getSingleMetric(metric)?.get())?.values ?? [];
  return values
    .filter(({ labels: own }) => Object.entries(labels).every(([key, value]) => own[key] === value))
    .reduce((sum, { value }) => sum + value, 0);
}

const appendConflicts = (instance: RunningChatStore) =>
  counted(instance, 'chat_store_append_conflicts_total', { action: 'send_event' });
const sentEvents = (instance: RunningChatStore) =>
  counted(instance, 'chat_store_commands_total', { action: 'send_event', outcome: 'success' });

async function totals(of: (instance: RunningChatStore) => Promise<number>): Promise<number[]> {
  return Promise.all(sut.instances.map(of));
}

describe('chat-affine partitions of commands (two replicas, real NATS and Postgres)', () => {
  it('shares the partitions between the replicas, each served by one', () => {
    const [one, two] = sut.instances.map((instance) => instance.partitions.owned());
    expect(one!.length).toBeGreaterThan(0);
    expect(two!.length).toBeGreaterThan(0);
    expect(one!.filter((partition) => two!.includes(partition))).toEqual([]);
  });

  it("decides a chat's commands once, on the one replica that has its aggregate cached", async () => {
    const agent = sut.agent();
    const { chat_id } = await sut.execute<{ chat_id: string }>('start_chat', {}, agent);
    const conflictsBefore = await totals(appendConflicts);
    const sentBefore = await totals(sentEvents);
    for (let index = 0; index < 30; index++) {
      await sut.execute(
        'send_event',
        { chat_id, event: { type: 'message', text: `message ${index}` } },
        agent,
        { routed: true },
      );
    }
    const conflicts = (await totals(appendConflicts)).map((n, at) => n - conflictsBefore[at]!);
    const sent = (await totals(sentEvents)).map((n, at) => n - sentBefore[at]!);
    expect(conflicts).toEqual([0, 0]);
    expect([...sent].sort()).toEqual([0, 30]);
    const owner = sut.instances[sent.indexOf(30)]!;
    expect(owner.partitions.owned()).toContain(chatPartition(sut.organizationId, chat_id));
    expect((await sut.readChat(chat_id)).map(({ batch }) => batch.version)).toEqual(
      Array.from({ length: 31 }, (_, index) => index + 1),
    );
  });

  it('without the partitions, the replicas take the commands in turn and decide many twice', async () => {
    const agent = sut.agent();
    const { chat_id } = await sut.execute<{ chat_id: string }>('start_chat', {}, agent);
    const before = await totals(appendConflicts);
    for (let index = 0; index < 30; index++) {
      await callService(
        sut.client.connection,
        sut.subjects.chatStoreExecute,
        sut.command(
          'send_event',
          { chat_id, event: { type: 'message', text: `message ${index}` } },
          agent,
        ),
      );
    }
    const conflicts = (await totals(appendConflicts)).reduce(
      (sum, n, at) => sum + n - before[at]!,
      0,
    );
    expect(conflicts).toBeGreaterThan(0);
  });
});

describe('when the replica that owns a chat stops', () => {
  let pair: TestChatStores;

  beforeAll(async () => {
    pair = await startTestChatStores(2);
    await partitionsSettled(pair.instances);
  });
  afterAll(async () => {
    await pair?.stop();
  });

  it("the other takes the chat's commands, and none is lost", async () => {
    const agent = pair.agent();
    const { chat_id } = await pair.execute<{ chat_id: string }>('start_chat', {}, agent);
    const partition = chatPartition(pair.organizationId, chat_id);
    const send = (text: string) =>
      pair.execute('send_event', { chat_id, event: { type: 'message', text } }, agent, {
        routed: true,
      });
    await send('before');
    const ownerAt = pair.instances.findIndex((instance) =>
      instance.partitions.owned().includes(partition),
    );
    const [owner] = pair.instances.splice(ownerAt, 1);
    const stopped = owner!.stop();
    const during = Array.from({ length: 10 }, (_, index) => send(`during ${index}`));
    await stopped;
    await Promise.all(during);
    await send('after');
    await partitionsSettled(pair.instances);
    expect(pair.instances[0]!.partitions.owned()).toContain(partition);
    const texts = (await pair.readChat(chat_id)).flatMap(({ batch }) =>
      batch.events.flatMap((event) =>
        event.type === 'event_added' ? [event.data.event.text] : [],
      ),
    );
    expect(texts).toHaveLength(12);
    expect(texts[0]).toBe('before');
    expect(texts.at(-1)).toBe('after');
  });
});
