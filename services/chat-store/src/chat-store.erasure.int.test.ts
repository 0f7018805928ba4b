import { randomUUID } from 'node:crypto';
import { readSubject } from '@threadline/bus';
import { ChatEventBatch, ConfigurationChange, type Requester } from '@threadline/contracts';
import {
  developmentMasterKey,
  erasedText,
  openKeyRing,
  openValue,
} from '@threadline/personal-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchSealer } from './adapters/personal-data/batch-sealer.ts';
import { schema } from './chat-store.ts';
import { rebuildProjections } from './projection-rebuild.ts';
import { failure } from './testing/failure.ts';
import { startTestChatStores, type TestChatStores } from './testing/harness.ts';

let sut: TestChatStores;
let owner: Requester;
let carol: Requester;
let dave: Requester;
let chat: { chat_id: string; thread_id: string };
let davesChat: { chat_id: string; thread_id: string };
const secret = `zebra${Math.floor(Math.random() * 1e6)}`;

type ChatView = {
  users: { id: string; type: string; name?: string; email?: string }[];
  thread: {
    summary?: { text: string };
    events: { type: string; author_id: string; text?: string; name?: string; fields?: unknown[] }[];
  };
};
type Archives = { chats: { id: string }[]; found_chats: number };

/** Carol and Dave chat with an agent; Carol writes a message, a form and a secret word. */
beforeAll(async () => {
  // Two replicas: both cache Carol's key and aggregate, and both must forget them.
  sut = await startTestChatStores(2);
  owner = sut.agent({ role: 'owner' });
  carol = sut.customer({ name: 'Carol Secretname', email: 'carol@example.com' });
  dave = sut.customer({ name: 'Dave Keeper', email: 'dave@example.com' });
  chat = (
    await sut.assignedChat(
      { chat: { thread: { events: [{ type: 'message', text: `Hello, my word is ${secret}` }] } } },
      { customer: carol, agent: owner },
    )
  ).valueOf() as typeof chat;
  await sut.execute(
    'send_event',
    {
      chat_id: chat.chat_id,
      event: {
        type: 'filled_form',
        form_id: 'f1',
        fields: [{ id: 'q', type: 'email', label: 'E-mail', answer: 'carol@example.com' }],
      },
    },
    carol,
  );
  for (let index = 0; index < 6; index++)
    await sut.execute(
      'send_event',
      { chat_id: chat.chat_id, event: { type: 'message', text: `${secret} again ${index}` } },
      carol,
    );
  await sut.execute(
    'send_event',
    { chat_id: chat.chat_id, event: { type: 'message', text: 'Agent answer stays' } },
    owner,
  );
  // Summaries quote the customer: one of the active thread (a system event), one once closed.
  await sut.execute('request_thread_summary', chat, owner);
  await sut.execute('deactivate_chat', { id: chat.chat_id }, owner);
  await sut.execute('request_thread_summary', chat, owner);
  davesChat = await sut.assignedChat(
    { chat: { thread: { events: [{ type: 'message', text: `Dave also says ${secret}` }] } } },
    { customer: dave, agent: owner },
  );
});

afterAll(() => sut.stop());

async function storedBytes(chatId: string): Promise<string> {
  const messages = await readSubject(
    sut.client.jetstream,
    sut.subjects.chatStream,
    sut.subjects.chatEvents(sut.organizationId, chatId),
  );
  return messages.map((message) => Buffer.from(message.data).toString('latin1')).join('\n');
}

describe('customer erasure (crypto-shredding)', () => {
  it("stores the customer's personal data sealed, and reads it back in the clear", async () => {
    const stored = await storedBytes(chat.chat_id);
    for (const personal of [secret, 'Carol Secretname', 'carol@example.com'])
      expect(stored).not.toContain(personal);
    expect(stored).toContain('Agent answer stays');
    const view = await sut.query<{ thread: ChatView['thread'] } & ChatView>(
      'get_chat',
      { chat_id: chat.chat_id },
      owner,
    );
    expect(view.users.find((user) => user.id === carol.userId)?.name).toBe('Carol Secretname');
    expect(view.thread.events[0]?.text).toContain(secret);
    expect(view.thread.summary?.text).toContain(secret);
    const summaryEvent = view.thread.events.find((event) => event.type === 'system');
    expect(JSON.stringify(summaryEvent)).toContain(secret);
    const found = await sut.query<Archives>('list_archives', { filters: { query: secret } }, owner);
    expect(found.chats.map((item) => item.id).sort()).toEqual(
      [chat.chat_id, davesChat.chat_id].sort(),
    );
  });

  it('is refused to normal agents, and to another organization it finds nothing', async () => {
    const normal = sut.agent({ role: 'normal' });
    expect(
      (await failure(sut.execute('erase_customer', { customer_id: carol.userId }, normal))).type,
    ).toBe('not_allowed');
    const stranger = sut.agent({ role: 'owner', organizationId: randomUUID() });
    const elsewhere = await sut.execute<{ chat_ids: string[]; key_destroyed: boolean }>(
      'erase_customer',
      { customer_id: carol.userId },
      stranger,
    );
    expect(elsewhere).toMatchObject({ chat_ids: [], key_destroyed: false });
    const view = await sut.query<ChatView>('get_chat', { chat_id: chat.chat_id }, owner);
    expect(view.thread.events[0]?.text).toContain(secret);
  });

  it('destroys the key and re-projects: no read path returns their data', async () => {
    const result = await sut.execute('erase_customer', { customer_id: carol.userId }, owner);
    expect(result).toMatchObject({
      customer_id: carol.userId,
      key_destroyed: true,
      chat_ids: [chat.chat_id],
    });
    const view = await sut.query<ChatView>('get_chat', { chat_id: chat.chat_id }, owner);
    const text = JSON.stringify(view);
    for (const personal of [secret, 'Secretname', 'carol@example.com'])
      expect(text).not.toContain(personal);
    const customer = view.users.find((user) => user.id === carol.userId);
    expect(customer).toMatchObject({ type: 'customer', name: erasedText });
    expect(view.thread.summary?.text).toBe(erasedText);
    const [first] = view.thread.events;
    expect(first).toMatchObject({ author_id: carol.userId, text: erasedText });
    const form = view.thread.events.find((event) => event.type === 'filled_form');
    expect(form).toMatchObject({ author_id: carol.userId, fields: [] });
    expect(view.thread.events.some((event) => event.text === 'Agent answer stays')).toBe(true);
    const listed = await sut.query('list_chats', {}, owner);
    expect(JSON.stringify(listed)).not.toContain('Secretname');
    expect(JSON.stringify(listed)).not.toContain(`word is ${secret}`);
    const found = await sut.query<Archives>('list_archives', { filters: { query: secret } }, owner);
    expect(found.chats.map((item) => item.id)).toEqual([davesChat.chat_id]);
    const byEmail = await sut.query<Archives>(
      'list_archives',
      { filters: { customer_email: 'carol@example.com' } },
      owner,
    );
    expect(byEmail.found_chats).toBe(0);
  });

  it("leaves the stream's bytes sealed for good: with the master key they no longer open", async () => {
    const ring = await openKeyRing({
      url: sut.database.url,
      masterKey: Buffer.from(developmentMasterKey, 'base64'),
    });
    try {
      const messages = await readSubject(
        sut.client.jetstream,
        sut.subjects.chatStream,
        sut.subjects.chatEvents(sut.organizationId, chat.chat_id),
      );
      const keys = await ring.openingKeys(sut.organizationId, [carol.userId]);
      expect(keys.get(carol.userId)).toBeNull();
      const first = ChatEventBatch.decode(messages[0]!.data);
      const stored = {
        requester: first.requester,
        events: first.events.map((event) => JSON.parse(event.dataJson) as unknown),
        notifications: first.notifications.map((n) => JSON.parse(n.payloadJson) as unknown),
      };
      expect(JSON.stringify(stored)).toContain('tl-sealed');
      const opened = JSON.stringify(openValue(stored, sut.organizationId, keys));
      for (const personal of [secret, 'Secretname', 'carol@example.com'])
        expect(opened).not.toContain(personal);
      expect(opened).toContain(erasedText);
    } finally {
      await ring.close();
    }
  });

  it('keeps a rebuild from the stream free of their data, and other customers whole', async () => {
    await rebuildProjections({
      bus: sut.client,
      subjects: sut.subjects,
      databaseUrl: sut.database.url,
      schema,
      open: createBatchSealer(sut.keys).open,
      dropOld: true,
    });
    const view = await sut.query<ChatView>('get_chat', { chat_id: chat.chat_id }, owner);
    expect(JSON.stringify(view)).not.toContain(secret);
    const daves = await sut.query<ChatView>('get_chat', { chat_id: davesChat.chat_id }, owner);
    expect(daves.users.find((user) => user.id === dave.userId)?.name).toBe('Dave Keeper');
    expect(daves.thread.events[0]?.text).toBe(`Dave also says ${secret}`);
  });

  it('refuses anything the erased customer sends afterwards, on every replica', async () => {
    for (let index = 0; index < 8; index++) {
      const refused = await failure(
        sut.execute(
          'send_event',
          { chat_id: chat.chat_id, event: { type: 'message', text: 'again' } },
          carol,
        ),
      );
      expect(refused.type).toBe('not_allowed');
    }
  });

  it('records the erasure on the configuration stream, with ids only', async () => {
    const changes = await readSubject(
      sut.client.jetstream,
      sut.subjects.configurationStream,
      sut.subjects.configurationChanges(sut.organizationId),
    );
    const erased = changes
      .map((message) => ConfigurationChange.decode(message.data))
      .filter((change) => change.action === 'customer_erased');
    expect(erased).toHaveLength(1);
    expect(JSON.parse(erased[0]!.payloadJson)).toEqual({
      customer_id: carol.userId,
      chat_ids: [chat.chat_id],
    });
  });
});
