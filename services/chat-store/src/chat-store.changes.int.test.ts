import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from './testing/failure.ts';
import { startTestChatStores, type TestChatStores } from './testing/harness.ts';
import { listenForPushes } from './testing/pushes.ts';

let sut: TestChatStores;

beforeAll(async () => {
  sut = await startTestChatStores(1);
});
afterAll(async () => {
  await sut?.stop();
});

type Event = { id: string; text?: string; deleted?: boolean; [field: string]: unknown };
type Chat = {
  properties: Record<string, unknown>;
  thread: { tags?: string[]; summary?: unknown; events: Event[] };
};

/** A customer's chat with a message, an assigned agent, and everyone listening. */
async function aChat(text = 'My parcel never arrived.') {
  const chat = await sut.assignedChat({
    chat: { thread: { events: [{ type: 'message', text }] } },
  });
  const customerPushes = await listenForPushes(sut, chat.customer);
  const agentPushes = await listenForPushes(sut, chat.agent);
  return {
    ...chat,
    customerPushes,
    agentPushes,
    stop() {
      customerPushes.stop();
      agentPushes.stop();
    },
  };
}

describe('chat-store properties', () => {
  it('updates and deletes chat properties, pushing only the changed part', async () => {
    const { customer, agent, chat_id, customerPushes, stop } = await aChat();
    await sut.execute(
      'update_chat_properties',
      { id: chat_id, properties: { rating: { score: 1, comment: 'great' } } },
      customer,
    );
    await sut.execute(
      'update_chat_properties',
      { id: chat_id, properties: { rating: { score: 0 } } },
      agent,
    );
    const updates = await customerPushes.next('chat_properties_updated', 2);
    expect(updates.map((push) => push.payload)).toEqual([
      { chat_id, properties: { rating: { score: 1, comment: 'great' } } },
      { chat_id, properties: { rating: { score: 0 } } },
    ]);
    await sut.execute(
      'delete_chat_properties',
      { id: chat_id, properties: { rating: ['comment'] } },
      agent,
    );
    const [deleted] = await customerPushes.next('chat_properties_deleted');
    expect(deleted?.payload).toEqual({ chat_id, properties: { rating: ['comment'] } });
    const chat = await sut.query<Chat>('get_chat', { chat_id }, customer);
    expect(chat.properties).toEqual({ rating: { score: 0 } });
    stop();
  });

  it('changes thread and event properties; customers cannot reach agents-only events', async () => {
    const { customer, agent, chat_id, thread_id, customerPushes, stop } = await aChat();
    await sut.execute(
      'update_thread_properties',
      { chat_id, thread_id, properties: { survey: { answered: true } } },
      agent,
    );
    await sut.execute(
      'update_event_properties',
      { chat_id, thread_id, event_id: `${thread_id}_1`, properties: { flags: { starred: true } } },
      customer,
    );
    expect((await customerPushes.next('thread_properties_updated'))[0]?.payload).toEqual({
      chat_id,
      thread_id,
      properties: { survey: { answered: true } },
    });
    await customerPushes.next('event_properties_updated');
    const chat = await sut.query<Chat & { thread: { properties: unknown } }>(
      'get_chat',
      { chat_id },
      agent,
    );
    expect(chat.thread.properties).toEqual({ survey: { answered: true } });
    expect(chat.thread.events[0]?.properties).toEqual({ flags: { starred: true } });

    const { event_id } = await sut.execute<{ event_id: string }>(
      'send_event',
      { chat_id, event: { type: 'message', text: 'note', visibility: 'agents' } },
      agent,
    );
    const hidden = { chat_id, thread_id, event_id, properties: { a: { b: 1 } } };
    expect((await failure(sut.execute('update_event_properties', hidden, customer))).type).toBe(
      'not_found',
    );
    stop();
  });
});

describe('chat-store tags', () => {
  it('tags and untags threads for agents only, and refuses untagging a tag it does not have', async () => {
    const { customer, agent, chat_id, thread_id, customerPushes, agentPushes, stop } =
      await aChat();
    await sut.execute('tag_thread', { chat_id, thread_id, tag: 'shipping' }, agent);
    expect((await agentPushes.next('thread_tagged'))[0]?.payload).toEqual({
      chat_id,
      thread_id,
      tag: 'shipping',
    });
    expect((await sut.query<Chat>('get_chat', { chat_id }, agent)).thread.tags).toEqual([
      'shipping',
    ]);
    expect((await sut.query<Chat>('get_chat', { chat_id }, customer)).thread).not.toHaveProperty(
      'tags',
    );
    const untag = { chat_id, thread_id, tag: 'billing' };
    expect((await failure(sut.execute('untag_thread', untag, agent))).type).toBe('not_found');
    await sut.execute('untag_thread', { ...untag, tag: 'shipping' }, agent);
    await agentPushes.next('thread_untagged');
    expect(await customerPushes.settled('thread_tagged')).toEqual([]);
    stop();
  });
});

describe('chat-store deleted events', () => {
  it('hides a deleted event from customers, shows normal agents a stub and administrators the original', async () => {
    const { customer, agent, chat_id, thread_id, agentPushes, stop } = await aChat('oops');
    const event_id = `${thread_id}_1`;
    await sut.execute('delete_event', { chat_id, thread_id, event_id }, customer);
    expect((await agentPushes.next('event_deleted'))[0]?.payload).toEqual({
      chat_id,
      thread_id,
      event_id,
    });
    const ofCustomer = await sut.query<Chat>('get_chat', { chat_id }, customer);
    expect(ofCustomer.thread.events.map((event) => event.id)).not.toContain(event_id);
    const ofAgent = await sut.query<Chat>('get_chat', { chat_id }, agent);
    expect(ofAgent.thread.events[0]).toEqual(
      expect.objectContaining({ id: event_id, deleted: true }),
    );
    expect(ofAgent.thread.events[0]).not.toHaveProperty('text');
    const owner = sut.agent({ role: 'owner' });
    const ofOwner = await sut.query<Chat>('get_chat', { chat_id }, owner);
    expect(ofOwner.thread.events[0]).toMatchObject({ id: event_id, text: 'oops', deleted: true });
    const again = { chat_id, thread_id, event_id };
    expect((await failure(sut.execute('delete_event', again, customer))).type).toBe('not_found');
    stop();
  });
});

describe('chat-store rich message postbacks', () => {
  it('announces a postback and lists the user on the button', async () => {
    const { customer, agent, chat_id, thread_id, agentPushes, stop } = await aChat();
    const card = {
      type: 'rich_message',
      template_id: 'quick_replies',
      elements: [{ title: 'OK?', buttons: [{ text: 'Yes', postback_id: 'yes', user_ids: [] }] }],
    };
    const { event_id } = await sut.execute<{ event_id: string }>(
      'send_event',
      { chat_id, event: card },
      agent,
    );
    await sut.execute(
      'send_rich_message_postback',
      { chat_id, thread_id, event_id, postback: { id: 'yes', toggled: true } },
      customer,
    );
    expect((await agentPushes.next('incoming_rich_message_postback'))[0]?.payload).toEqual({
      user_id: customer.userId,
      chat_id,
      thread_id,
      event_id,
      postback: { id: 'yes', toggled: true },
    });
    const chat = await sut.query<Chat>('get_chat', { chat_id }, agent);
    const stored = chat.thread.events.find((event) => event.id === event_id);
    expect(stored?.elements).toEqual([
      expect.objectContaining({
        buttons: [expect.objectContaining({ user_ids: [customer.userId] })],
      }),
    ]);
    stop();
  });
});

describe('chat-store thread summaries', () => {
  it('summarizes an inactive thread once, for agents', async () => {
    const { customer, agent, chat_id, thread_id, agentPushes, stop } = await aChat();
    await sut.execute('deactivate_chat', { id: chat_id }, agent);
    const requester = sut.agent();
    const requesterPushes = await listenForPushes(sut, requester);
    await sut.execute('request_thread_summary', { chat_id, thread_id }, requester);
    const [set] = await requesterPushes.next('thread_summary_set');
    expect(set?.payload).toMatchObject({
      chat_id,
      thread_id,
      summary: { status: 'ok', text: '• Customer: My parcel never arrived.' },
    });
    expect((await sut.query<Chat>('get_chat', { chat_id }, agent)).thread.summary).toMatchObject({
      status: 'ok',
    });
    expect((await sut.query<Chat>('get_chat', { chat_id }, customer)).thread).not.toHaveProperty(
      'summary',
    );
    const again = { chat_id, thread_id };
    expect((await failure(sut.execute('request_thread_summary', again, agent))).type).toBe(
      'validation',
    );
    expect(await agentPushes.settled('thread_summary_set')).toEqual([]);
    requesterPushes.stop();
    stop();
  });

  it('answers incoming_error when there is nothing to summarize', async () => {
    const customer = sut.customer();
    const agent = sut.agent();
    const pushes = await listenForPushes(sut, agent);
    const { chat_id, thread_id } = await sut.execute<{ chat_id: string; thread_id: string }>(
      'start_chat',
      {},
      customer,
    );
    await sut.execute('request_thread_summary', { chat_id, thread_id }, agent);
    expect((await pushes.next('incoming_error'))[0]?.payload).toEqual({
      action: 'set_thread_summary',
      chat_id,
      thread_id,
    });
    pushes.stop();
  });
});
