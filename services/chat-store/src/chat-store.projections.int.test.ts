import { randomUUID } from 'node:crypto';
import { createDatabase } from '@threadline/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventLog } from './adapters/nats/event-log.ts';
import type { Database } from './adapters/postgres/database.ts';
import { chatIdsOfUser, createProjectionWriter } from './adapters/postgres/projection-writer.ts';
import type { ChatBatch } from './application/ports.ts';
import { schema } from './chat-store.ts';
import { decide } from './domain/chat.decide.ts';
import { initialState } from './domain/chat.evolve.ts';
import type { ChatDomainEvent } from './domain/chat.types.ts';
import { startTestChatStores, type TestChatStores } from './testing/harness.ts';

let sut: TestChatStores;

beforeAll(async () => {
  sut = await startTestChatStores(2);
});
afterAll(async () => {
  await sut?.stop();
});

const db = () => sut.instances[0]!.db;

/** A created chat's first batch, decided by the domain and never projected inline. */
function aStartBatch(chatId: string): ChatBatch {
  const events = decide(
    {
      type: 'start_chat',
      actor: {
        organizationId: sut.organizationId,
        id: randomUUID(),
        type: 'customer',
        name: 'Direct',
        email: '',
        avatar: '',
        groupIds: [0],
        role: '',
      },
      at: '2025-11-25T10:00:00.000000Z',
      chatId,
      threadId: `${chatId}T`,
      payload: { continuous: true },
    },
    initialState(),
  ) as ChatDomainEvent[];
  return {
    organizationId: sut.organizationId,
    chatId,
    version: 1,
    commandId: randomUUID(),
    requester: undefined,
    events,
    notifications: [],
  };
}

async function eventually<T>(read: () => Promise<T | undefined>): Promise<T> {
  for (let waited = 0; waited < 10_000; waited += 50) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition not reached within 10 s');
}

describe('chat-store projections', () => {
  it('shows a sent event to get_chat right after send_event answers', async () => {
    const customer = sut.customer();
    const { chat_id } = await sut.execute<{ chat_id: string }>('start_chat', {}, customer);
    for (let index = 0; index < 10; index++) {
      const { event_id } = await sut.execute<{ event_id: string }>(
        'send_event',
        { chat_id, event: { type: 'message', text: `m${index}` } },
        customer,
      );
      const chat = await sut.query<{ thread: { events: { id: string }[] } }>(
        'get_chat',
        { chat_id },
        customer,
      );
      expect(chat.thread.events.at(-1)?.id).toBe(event_id);
    }
  });

  it('is kept by the durable projector when nobody projects inline', async () => {
    const chatId = `DIRECT${randomUUID().slice(0, 4).toUpperCase()}`;
    const result = await createEventLog(sut.client, sut.subjects).append(aStartBatch(chatId), 0);
    expect(result.outcome).toBe('appended');

    const row = await eventually(() =>
      db()
        .selectFrom('chats')
        .selectAll()
        .where('organization_id', '=', sut.organizationId)
        .where('id', '=', chatId)
        .executeTakeFirst(),
    );
    expect(row).toMatchObject({ version: 1, active: true, thread_count: 1 });
  });

  it('lets the projector skip what the inline projection applied, and only that', async () => {
    const customer = sut.customer();
    const { chat_id } = await sut.execute<{ chat_id: string }>('start_chat', {}, customer);
    await sut.execute('send_event', { chat_id, event: { type: 'message', text: 'hi' } }, customer);
    const writer = createProjectionWriter(db());
    expect(await writer.projectedVersion(sut.organizationId, chat_id)).toBe(2);
    expect(await writer.projectedVersion(randomUUID(), chat_id)).toBe(0);
  });

  it("lists the chat among each user's chats, whenever they joined it", async () => {
    const { customer, agent, chat_id } = await sut.assignedChat();
    const added = sut.agent();
    await sut.execute('send_event', { chat_id, event: { type: 'message', text: 'hi' } }, agent);
    await sut.execute(
      'add_user_to_chat',
      { chat_id, user_id: added.userId, user_type: 'agent', visibility: 'all' },
      agent,
    );
    for (const user of [customer, agent, added])
      expect(await chatIdsOfUser(db(), sut.organizationId, user.userId)).toEqual([chat_id]);
  });

  it('rolls a failed batch back, leaving its connection fit for the next one', async () => {
    const single = createDatabase<Database>({ url: sut.database.url, schema, poolSize: 1 });
    try {
      const writer = createProjectionWriter(single);
      const chatId = `ROLLBK${randomUUID().slice(0, 4).toUpperCase()}`;
      // Postgres refuses a NUL in text: the batch fails inside its transaction.
      const refused = { ...aStartBatch(chatId), organizationId: 'broken\u0000organization' };
      await expect(writer.apply(refused)).rejects.toThrow();
      expect(await writer.apply(aStartBatch(chatId))).toBe('applied');
      expect(await writer.projectedVersion(sut.organizationId, chatId)).toBe(1);
    } finally {
      await single.destroy();
    }
  });

  it('applies each version once and leaves gaps for later', async () => {
    const writer = createProjectionWriter(db());
    const chatId = `WRITER${randomUUID().slice(0, 4).toUpperCase()}`;
    const batch = aStartBatch(chatId);
    const later = { ...batch, version: 3, commandId: randomUUID(), events: [] };

    expect(await writer.apply(later)).toBe('gap');
    expect(await writer.projectedVersion(sut.organizationId, chatId)).toBe(0);
    expect(await writer.apply(batch)).toBe('applied');
    expect(await writer.projectedVersion(sut.organizationId, chatId)).toBe(1);
    expect(await writer.apply(batch)).toBe('skipped');
    expect(await Promise.all([writer.apply(batch), writer.apply(batch)])).toEqual([
      'skipped',
      'skipped',
    ]);
  });
});
