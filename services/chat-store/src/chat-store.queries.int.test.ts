import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from './testing/failure.ts';
import { startTestChatStores, type TestChatStores } from './testing/harness.ts';

let sut: TestChatStores;

beforeAll(async () => {
  sut = await startTestChatStores(1);
});
afterAll(async () => {
  await sut?.stop();
});

interface ChatList {
  chats_summary: { id: string; last_thread_summary?: { id: string }; active?: boolean }[];
  found_chats?: number;
  total_chats?: number;
  next_page_id?: string;
  previous_page_id?: string;
}

/** Starts chats one second apart (issued_at orders them), as agents of a group of their own. */
async function chatsInGroup(count: number) {
  const group = Math.floor(Math.random() * 1_000_000) + 1_000;
  const agent = sut.agent({ groupIds: [group] });
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const issuedAt = new Date(Date.UTC(2025, 0, 1, 0, 0, index)).toISOString();
    const { chat_id } = await sut.execute<{ chat_id: string }>(
      'start_chat',
      { chat: { access: { group_ids: [group] } } },
      agent,
      { issuedAt },
    );
    ids.push(chat_id);
  }
  return { agent: sut.agent({ groupIds: [group] }), ids, group };
}

describe('chat-store queries', () => {
  it('pages through an agent’s chats newest first, forward and back, with only the page id', async () => {
    const { agent, ids } = await chatsInGroup(5);
    const newestFirst = [...ids].reverse();

    const first = await sut.query<ChatList>('list_chats', { limit: 2 }, agent);
    expect(first.chats_summary.map((chat) => chat.id)).toEqual(newestFirst.slice(0, 2));
    expect(first.found_chats).toBe(5);
    expect(first.previous_page_id).toBeUndefined();

    const second = await sut.query<ChatList>('list_chats', { page_id: first.next_page_id }, agent);
    expect(second.chats_summary.map((chat) => chat.id)).toEqual(newestFirst.slice(2, 4));
    const third = await sut.query<ChatList>('list_chats', { page_id: second.next_page_id }, agent);
    expect(third.chats_summary.map((chat) => chat.id)).toEqual(newestFirst.slice(4));
    expect(third.next_page_id).toBeUndefined();

    const back = await sut.query<ChatList>(
      'list_chats',
      { page_id: third.previous_page_id },
      agent,
    );
    expect(back.chats_summary.map((chat) => chat.id)).toEqual(newestFirst.slice(2, 4));
    const start = await sut.query<ChatList>(
      'list_chats',
      { page_id: back.previous_page_id },
      agent,
    );
    expect(start.chats_summary.map((chat) => chat.id)).toEqual(newestFirst.slice(0, 2));
    expect(start.previous_page_id).toBeUndefined();
  });

  it('sorts ascending and filters by activity', async () => {
    const { agent, ids } = await chatsInGroup(3);
    await sut.execute('deactivate_chat', { id: ids[1], ignore_requester_presence: true }, agent);

    const ascending = await sut.query<ChatList>('list_chats', { sort_order: 'asc' }, agent);
    expect(ascending.chats_summary.map((chat) => chat.id)).toEqual(ids);
    const active = await sut.query<ChatList>('list_chats', { filters: { active: true } }, agent);
    expect(active.chats_summary.map((chat) => chat.id)).toEqual([ids[2], ids[0]]);
    const inactive = await sut.query<ChatList>('list_chats', { filters: { active: false } }, agent);
    expect(inactive.chats_summary.map((chat) => chat.id)).toEqual([ids[1]]);
  });

  it("narrows an agent's chats to the requested groups", async () => {
    const one = await chatsInGroup(2);
    const other = await chatsInGroup(1);
    const agentOfBoth = sut.agent({ groupIds: [one.group, other.group] });

    const all = await sut.query<ChatList>('list_chats', {}, agentOfBoth);
    expect(all.found_chats).toBe(3);
    const filtered = await sut.query<ChatList>(
      'list_chats',
      { filters: { group_ids: [other.group] } },
      agentOfBoth,
    );
    expect(filtered.chats_summary.map((chat) => chat.id)).toEqual(other.ids);
    expect(filtered.found_chats).toBe(1);
  });

  it('refuses a page id mixed with filters, and an unreadable page id', async () => {
    const { agent } = await chatsInGroup(3);
    const first = await sut.query<ChatList>('list_chats', { limit: 1 }, agent);
    expect(
      (
        await failure(
          sut.query(
            'list_chats',
            { page_id: first.next_page_id, filters: { active: true } },
            agent,
          ),
        )
      ).type,
    ).toBe('validation');
    expect((await failure(sut.query('list_chats', { page_id: 'garbage!' }, agent))).type).toBe(
      'validation',
    );
  });

  it("lists a customer's own chats only, at most 25 a page", async () => {
    const customer = sut.customer();
    const { chat_id } = await sut.execute<{ chat_id: string }>('start_chat', {}, customer);
    await sut.execute('start_chat', {}, sut.customer());

    const listed = await sut.query<ChatList>('list_chats', {}, customer);
    expect(listed).toMatchObject({
      total_chats: 1,
      chats_summary: [{ id: chat_id, active: true }],
    });
    expect((await failure(sut.query('list_chats', { limit: 26 }, customer))).type).toBe(
      'validation',
    );
  });

  it('hides agents-only events and users from customers in get_chat, and shows them to agents', async () => {
    const customer = sut.customer();
    const agent = sut.agent();
    const { chat_id } = await sut.execute<{ chat_id: string }>(
      'start_chat',
      { chat: { users: [{ id: customer.userId, type: 'customer' }] } },
      agent,
    );
    await sut.execute(
      'send_event',
      { chat_id, event: { type: 'message', text: 'note', visibility: 'agents' } },
      agent,
    );
    await sut.execute('send_event', { chat_id, event: { type: 'message', text: 'hello' } }, agent);

    const asAgent = await sut.query<{
      thread: { events: { text: string }[] };
      is_followed?: boolean;
    }>('get_chat', { chat_id }, agent);
    expect(asAgent.thread.events.map((event) => event.text)).toEqual(['note', 'hello']);
    expect(asAgent.is_followed).toBe(false);
    const asCustomer = await sut.query<
      Record<string, unknown> & { thread: { events: { text: string }[] } }
    >('get_chat', { chat_id }, customer);
    expect(asCustomer.thread.events.map((event) => event.text)).toEqual(['hello']);
    expect(asCustomer).not.toHaveProperty('is_followed');
  });

  it('gets a requested thread, lists threads newest first with events, and honours min_events_count', async () => {
    const customer = sut.customer();
    const message = (text: string) => ({ type: 'message', text });
    const { chat_id, thread_id: firstThread } = await sut.execute<{
      chat_id: string;
      thread_id: string;
    }>('start_chat', { chat: { thread: { events: [message('a'), message('b')] } } }, customer);
    const threadIds = [firstThread];
    for (const text of ['c', 'd']) {
      await sut.execute('deactivate_chat', { id: chat_id }, customer);
      const { thread_id } = await sut.execute<{ thread_id: string }>(
        'resume_chat',
        { chat: { id: chat_id, thread: { events: [message(text)] } } },
        customer,
      );
      threadIds.push(thread_id);
    }

    const old = await sut.query<{ thread: { id: string; next_thread_id?: string } }>(
      'get_chat',
      { chat_id, thread_id: firstThread },
      customer,
    );
    expect(old.thread).toMatchObject({ id: firstThread, next_thread_id: threadIds[1] });
    expect(
      (await failure(sut.query('get_chat', { chat_id, thread_id: randomUUID() }, customer))).type,
    ).toBe('not_found');

    type Threads = {
      threads: { id: string; events: { text?: string }[] }[];
      found_threads: number;
      next_page_id?: string;
    };
    const page = await sut.query<Threads>('list_threads', { chat_id, limit: 2 }, customer);
    expect(page.found_threads).toBe(3);
    expect(page.threads.map((thread) => thread.id)).toEqual([threadIds[2], threadIds[1]]);
    expect(page.threads[0]?.events.map((event) => event.text)).toEqual(['d']);
    const rest = await sut.query<Threads>(
      'list_threads',
      { chat_id, page_id: page.next_page_id },
      customer,
    );
    expect(rest.threads.map((thread) => thread.id)).toEqual([firstThread]);

    // Newest first: 'd' holds 1 event, 'c' 2 ('c' and the archived message): 3 events take 2 threads.
    const byEvents = await sut.query<Threads>(
      'list_threads',
      { chat_id, min_events_count: 3 },
      customer,
    );
    expect(byEvents.threads.map((thread) => thread.id)).toEqual([threadIds[2], threadIds[1]]);
  });
});
