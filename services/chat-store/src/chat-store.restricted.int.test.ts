import type { Requester } from '@threadline/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restrictedAccessReason } from './domain/chat.views.ts';
import { startTestChatStores, type TestChatStores } from './testing/harness.ts';

type Thread = {
  id: string;
  access: { group_ids: number[] };
  events?: { text?: string }[];
  restricted_access?: string;
  previous_accessible_thread_id?: string;
  next_accessible_thread_id?: string;
};

let sut: TestChatStores;
let first: Requester;
let second: Requester;
let chatId: string;
const threads: string[] = [];

/**
 * One chat, three threads: the first two opened in group A (handled by `first`), the second
 * transferred to group B, the third opened in group B. `second` is an agent of group B only.
 */
beforeAll(async () => {
  sut = await startTestChatStores(1);
  const groupA = 2000 + Math.floor(Math.random() * 100_000);
  const groupB = groupA + 1;
  first = sut.agent({ groupIds: [groupA] });
  second = sut.agent({ groupIds: [groupB] });
  const customer = sut.customer({ groupIds: [groupA] });
  const started = await sut.assignedChat(
    { chat: { thread: { events: [{ type: 'message', text: 'about my invoice' }] } } },
    { customer, agent: first },
  );
  chatId = started.chat_id;
  threads.push(started.thread_id);
  await sut.execute('deactivate_chat', { id: chatId }, first);
  const resumed = await sut.execute<{ thread_id: string }>(
    'resume_chat',
    { chat: { id: chatId } },
    customer,
  );
  threads.push(resumed.thread_id);
  await sut.execute(
    'transfer_chat',
    { id: chatId, target: { type: 'group', ids: [groupB] }, ignore_requester_presence: true },
    first,
  );
  await sut.execute('deactivate_chat', { id: chatId }, customer);
  const third = await sut.execute<{ thread_id: string }>(
    'resume_chat',
    { chat: { id: chatId, thread: { events: [{ type: 'message', text: 'again' }] } } },
    customer,
  );
  threads.push(third.thread_id);
});
afterAll(async () => {
  await sut?.stop();
});

const threadOf = async (reader: Requester, threadId: string) =>
  (
    await sut.query<{ thread: Thread }>(
      'get_chat',
      { chat_id: chatId, thread_id: threadId },
      reader,
    )
  ).thread;

describe('chat-store restricted_access', () => {
  it('gives an agent of the chat’s new group its earlier threads without their events', async () => {
    const restricted = await threadOf(second, threads[0] ?? '');
    expect(restricted.restricted_access).toBe(restrictedAccessReason);
    expect(restricted).not.toHaveProperty('events');
    const current = await threadOf(second, threads[2] ?? '');
    expect(current.restricted_access).toBeUndefined();
    expect(current.events).toEqual([expect.objectContaining({ text: 'again' })]);
  });

  it('lets the agent who took part read the threads of its old group in full', async () => {
    const handled = await threadOf(first, threads[0] ?? '');
    expect(handled.events?.[0]).toMatchObject({ text: 'about my invoice' });
    expect((await threadOf(first, threads[1] ?? '')).restricted_access).toBeUndefined();
  });

  it('restricts list_threads the same way', async () => {
    const { threads: listed } = await sut.query<{ threads: Thread[] }>(
      'list_threads',
      { chat_id: chatId, sort_order: 'asc', limit: 10 },
      second,
    );
    expect(listed.map((thread) => thread.restricted_access !== undefined)).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('names the nearest accessible threads in list_archives', async () => {
    const { chats } = await sut.query<{ chats: { thread: Thread }[] }>(
      'list_archives',
      { filters: { chat_ids: [chatId] }, sort_order: 'asc' },
      second,
    );
    expect(chats.map(({ thread }) => thread.id)).toEqual(threads);
    const [oldest, , newest] = chats.map(({ thread }) => thread);
    expect(oldest).toMatchObject({
      restricted_access: restrictedAccessReason,
      next_accessible_thread_id: threads[2],
    });
    expect(oldest).not.toHaveProperty('events');
    expect(oldest).not.toHaveProperty('previous_accessible_thread_id');
    expect(newest).not.toHaveProperty('previous_accessible_thread_id');
    const mine = await sut.query<{ chats: { thread: Thread }[] }>(
      'list_archives',
      { filters: { chat_ids: [chatId] }, sort_order: 'asc' },
      first,
    );
    expect(mine.chats[1]?.thread).toMatchObject({
      previous_accessible_thread_id: threads[0],
    });
    expect(mine.chats[1]?.thread).not.toHaveProperty('next_accessible_thread_id');
    expect(mine.chats[2]?.thread.restricted_access).toBe(restrictedAccessReason);
  });
});
