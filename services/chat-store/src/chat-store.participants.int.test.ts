import type { Requester } from '@threadline/contracts';
import { formatTimestamp } from '@threadline/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventLog } from './adapters/nats/event-log.ts';
import { failure } from './testing/failure.ts';
import { startTestChatStores, type TestChatStores } from './testing/harness.ts';
import { listenForPushes } from './testing/pushes.ts';

let sut: TestChatStores;

beforeAll(async () => {
  // Two replicas: commands land on either, so cached aggregates must be refreshed when stale.
  sut = await startTestChatStores(2);
});
afterAll(async () => {
  await sut?.stop();
});

type Chat = { users: { id: string; present: boolean; events_seen_up_to?: string }[] };

/** A customer's chat with an agent assigned by the router, and everyone listening. */
async function anAssignedChat() {
  const chat = await sut.assignedChat();
  return {
    ...chat,
    customerPushes: await listenForPushes(sut, chat.customer),
    agentPushes: await listenForPushes(sut, chat.agent),
  };
}

async function storedActions(chatId: string): Promise<string[]> {
  const stored = await createEventLog(sut.client, sut.subjects).readChat(
    sut.organizationId,
    chatId,
    0,
  );
  return stored.at(-1)?.batch.notifications.map((notification) => notification.action) ?? [];
}

describe('chat-store participants', () => {
  it('adds an agent: incoming_chat to them, user_added_to_chat to the others, stored for webhooks', async () => {
    const { customer, agent, chat_id, customerPushes } = await anAssignedChat();
    const added = sut.agent();
    const addedPushes = await listenForPushes(sut, added);
    await sut.execute(
      'add_user_to_chat',
      { chat_id, user_id: added.userId, user_type: 'agent', visibility: 'all' },
      agent,
    );

    const [incoming] = await addedPushes.next('incoming_chat');
    expect(incoming?.payload).toMatchObject({ chat: { id: chat_id } });
    const [userAdded] = await customerPushes.next('user_added_to_chat');
    expect(userAdded?.payload).toMatchObject({
      chat_id,
      user: { id: added.userId, present: true },
      reason: 'manual',
      requester_id: agent.userId,
    });
    expect(await storedActions(chat_id)).toEqual(['user_added_to_chat', 'incoming_event']);
    const chat = await sut.query<Chat>('get_chat', { chat_id }, customer);
    expect(chat.users.map((user) => [user.id, user.present])).toEqual([
      [customer.userId, true],
      [agent.userId, true],
      [added.userId, true],
    ]);
    addedPushes.stop();
    customerPushes.stop();
  });

  it('removes an agent with user_removed_from_chat, and refuses customers and absent users', async () => {
    const { customer, agent, chat_id, customerPushes, agentPushes } = await anAssignedChat();
    await sut.execute(
      'remove_user_from_chat',
      { chat_id, user_id: agent.userId, user_type: 'agent' },
      agent,
    );
    for (const pushes of [customerPushes, agentPushes]) {
      const [removed] = await pushes.next('user_removed_from_chat');
      expect(removed?.payload).toMatchObject({ chat_id, user_id: agent.userId, reason: 'manual' });
    }
    expect(await storedActions(chat_id)).toEqual(['user_removed_from_chat', 'incoming_event']);
    const again = { chat_id, user_id: agent.userId, user_type: 'agent' };
    const ignoring = { ...again, ignore_requester_presence: true };
    expect((await failure(sut.execute('remove_user_from_chat', again, agent))).type).toBe(
      'missing_access',
    );
    expect((await failure(sut.execute('remove_user_from_chat', ignoring, agent))).type).toBe(
      'not_found',
    );
    const removeCustomer = { ...ignoring, user_id: customer.userId, user_type: 'customer' };
    expect((await failure(sut.execute('remove_user_from_chat', removeCustomer, agent))).type).toBe(
      'validation',
    );
    customerPushes.stop();
    agentPushes.stop();
  });

  it('refuses to add users to an inactive chat', async () => {
    const { agent, chat_id, customerPushes, agentPushes } = await anAssignedChat();
    await sut.execute('deactivate_chat', { id: chat_id }, agent);
    const add = { chat_id, user_id: sut.agent().userId, user_type: 'agent', visibility: 'all' };
    expect((await failure(sut.execute('add_user_to_chat', add, agent))).type).toBe('chat_inactive');
    customerPushes.stop();
    agentPushes.stop();
  });
});

describe('chat-store followers', () => {
  it('sends a follower the chat and its later pushes, until unfollowed', async () => {
    const { customer, chat_id, customerPushes, agentPushes } = await anAssignedChat();
    const follower = sut.agent();
    const followerPushes = await listenForPushes(sut, follower);
    await sut.execute('follow_chat', { id: chat_id }, follower);
    const [incoming] = await followerPushes.next('incoming_chat');
    expect(incoming?.payload).toMatchObject({ chat: { id: chat_id } });
    expect(await sut.query('get_chat', { chat_id }, follower)).toMatchObject({ is_followed: true });
    const listed = await sut.query<{ chats_summary: { id: string; is_followed: boolean }[] }>(
      'list_chats',
      {},
      follower,
    );
    expect(listed.chats_summary.find((chat) => chat.id === chat_id)?.is_followed).toBe(true);

    await sut.execute('send_event', { chat_id, event: { type: 'message', text: 'hi' } }, customer);
    expect((await followerPushes.next('incoming_event'))[0]?.payload).toMatchObject({
      event: { text: 'hi' },
    });

    await sut.execute('unfollow_chat', { id: chat_id }, follower);
    await followerPushes.next('chat_unfollowed');
    await sut.execute('send_event', { chat_id, event: { type: 'message', text: 'bye' } }, customer);
    await customerPushes.next('incoming_event', 2);
    expect(await followerPushes.settled('incoming_event')).toHaveLength(1);
    expect(await sut.query('get_chat', { chat_id }, follower)).toMatchObject({
      is_followed: false,
    });
    followerPushes.stop();
    customerPushes.stop();
    agentPushes.stop();
  });

  it('refuses members who try to unfollow', async () => {
    const { agent, chat_id, customerPushes, agentPushes } = await anAssignedChat();
    expect((await failure(sut.execute('unfollow_chat', { id: chat_id }, agent))).type).toBe(
      'validation',
    );
    customerPushes.stop();
    agentPushes.stop();
  });
});

describe('chat-store seen state and indicators', () => {
  it('marks what users have seen: on sending, and with mark_events_as_seen', async () => {
    const { customer, agent, chat_id, customerPushes, agentPushes } = await anAssignedChat();
    // Times ahead of the chat's start: seen state only moves forward.
    const sentAt = formatTimestamp(new Date(Date.now() + 60_000));
    const markedAt = new Date(Date.now() + 120_000).toISOString();
    await sut.execute('send_event', { chat_id, event: { type: 'message', text: 'x' } }, customer, {
      issuedAt: sentAt,
    });
    await sut.execute('mark_events_as_seen', { chat_id, seen_up_to: sentAt }, agent, {
      issuedAt: markedAt,
    });
    const [marked] = await customerPushes.next('events_marked_as_seen');
    expect(marked?.payload).toEqual({ user_id: agent.userId, chat_id, seen_up_to: sentAt });
    expect(await storedActions(chat_id)).toEqual(['events_marked_as_seen']);
    const chat = await sut.query<Chat>('get_chat', { chat_id }, agent);
    expect(chat.users.map((user) => user.events_seen_up_to)).toEqual([sentAt, sentAt]);
    customerPushes.stop();
    agentPushes.stop();
  });

  it('pushes typing indicators and sneak peeks to the other users at once, storing nothing', async () => {
    const { customer, agent, chat_id, customerPushes, agentPushes } = await anAssignedChat();
    const before = await storedActions(chat_id);
    await sut.execute('send_typing_indicator', { chat_id, is_typing: true }, agent);
    const [typing] = await customerPushes.next('incoming_typing_indicator');
    expect(typing?.payload).toMatchObject({
      chat_id,
      typing_indicator: { author_id: agent.userId, recipients: 'all', is_typing: true },
    });
    await sut.execute('send_sneak_peek', { chat_id, sneak_peek_text: 'Hel' }, customer);
    const [peek] = await agentPushes.next('incoming_sneak_peek');
    expect(peek?.payload).toMatchObject({
      sneak_peek: { author_id: customer.userId, text: 'Hel' },
    });
    await sut.execute(
      'send_typing_indicator',
      { chat_id, is_typing: true, visibility: 'agents' },
      agent,
    );
    await sut.execute('send_thinking_indicator', { chat_id, title: 'Thinking...' }, agent);
    await sut.execute(
      'send_event_preview',
      { chat_id, event: { type: 'message', text: 'Almost there' } },
      agent,
    );
    await customerPushes.next('incoming_thinking_indicator');
    await customerPushes.next('incoming_event_preview');
    expect(await customerPushes.settled('incoming_typing_indicator')).toHaveLength(1);
    expect(await agentPushes.settled('incoming_typing_indicator')).toHaveLength(0);
    expect(await storedActions(chat_id)).toEqual(before);
    customerPushes.stop();
    agentPushes.stop();
  });

  it('needs presence and an active thread for indicators', async () => {
    const { agent, chat_id, customerPushes, agentPushes } = await anAssignedChat();
    const stranger: Requester = sut.agent();
    const typing = { chat_id, is_typing: true };
    expect((await failure(sut.execute('send_typing_indicator', typing, stranger))).type).toBe(
      'missing_access',
    );
    await sut.execute('deactivate_chat', { id: chat_id }, agent);
    expect((await failure(sut.execute('send_typing_indicator', typing, agent))).type).toBe(
      'chat_inactive',
    );
    customerPushes.stop();
    agentPushes.stop();
  });
});
