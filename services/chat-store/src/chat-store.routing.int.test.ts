import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestChatStores, type TestChatStores } from './testing/harness.ts';
import { listenForPushes } from './testing/pushes.ts';

let sut: TestChatStores;

beforeAll(async () => {
  sut = await startTestChatStores(2);
});
afterAll(async () => {
  await sut?.stop();
});

interface ThreadView {
  active: boolean;
  events: { type: string; system_message_type?: string; text_vars?: Record<string, string> }[];
}

async function lastThread(chatId: string) {
  const chat = await sut.query<{ thread: ThreadView; users: { id: string; present: boolean }[] }>(
    'get_chat',
    { chat_id: chatId },
    sut.router(),
  );
  return chat;
}

describe('chat-store: the router acting as the system', () => {
  it('closes an idle thread once, with routing.idle and routing.archived_inactive', async () => {
    const { chat_id, thread_id, agent, customer } = await sut.assignedChat();
    const customerPushes = await listenForPushes(sut, customer);
    const payload = { chat_id, thread_id, reason: 'inactive', inactive_minutes: 30 };
    const commandId = `inactive:${chat_id}:${thread_id}`;
    // Two replicas, the same timer firing twice: one batch.
    const replies = await Promise.all([
      sut.execute('close_thread_for_routing', payload, sut.router(), { commandId }),
      sut.execute('close_thread_for_routing', payload, sut.router(), { commandId }),
    ]);
    expect(replies).toEqual([{}, {}]);

    const [deactivated] = await customerPushes.next('chat_deactivated');
    expect(deactivated?.payload).toEqual({ chat_id, thread_id });
    const chat = await lastThread(chat_id);
    expect(chat.thread.active).toBe(false);
    expect(chat.thread.events.map((event) => event.system_message_type)).toEqual([
      'routing.assigned',
      'routing.idle',
      'routing.archived_inactive',
    ]);
    expect(chat.users.find((user) => user.id === agent.userId)?.present).toBe(false);
    await expect(
      sut.execute('close_thread_for_routing', payload, sut.router()),
    ).rejects.toMatchObject({ type: 'chat_inactive' });
    customerPushes.stop();
  });

  it('hands a chat to another agent: user_removed_from_chat, chat_transferred assigned', async () => {
    const { chat_id, thread_id, agent, customer } = await sut.assignedChat();
    const next = sut.agent({ name: 'Olga Other' });
    const leavingPushes = await listenForPushes(sut, agent);
    const joiningPushes = await listenForPushes(sut, next);
    const customerPushes = await listenForPushes(sut, customer);
    await sut.execute(
      'unassign_agent',
      {
        chat_id,
        thread_id,
        agent_id: agent.userId,
        reason: 'signed_out',
        assign_to: { id: next.userId, name: next.name },
      },
      sut.router(),
    );

    const [removed] = await customerPushes.next('user_removed_from_chat');
    expect(removed?.payload).toEqual({
      chat_id,
      thread_id,
      user_id: agent.userId,
      reason: 'signed_out',
    });
    const [transfer] = await leavingPushes.next('chat_transferred');
    expect(transfer?.payload).toEqual({
      chat_id,
      thread_id,
      reason: 'assigned',
      transferred_to: { group_ids: [], agent_ids: [next.userId] },
    });
    expect((await joiningPushes.next('incoming_chat'))[0]?.payload).toMatchObject({
      chat: { id: chat_id },
    });
    const chat = await lastThread(chat_id);
    expect(chat.thread.events.at(-1)).toMatchObject({
      system_message_type: 'routing.assigned_signed_out',
      text_vars: { agent_added: 'Olga Other', agent_removed: agent.name },
    });
    expect(chat.users.filter((user) => user.present).map((user) => user.id)).toEqual(
      expect.arrayContaining([customer.userId, next.userId]),
    );
    for (const pushes of [leavingPushes, joiningPushes, customerPushes]) pushes.stop();
  });

  it('sends a chat back to its groups, and posts system messages', async () => {
    const { chat_id, thread_id, agent } = await sut.assignedChat();
    await sut.execute(
      'post_system_message',
      {
        chat_id,
        thread_id,
        system_message_type: 'customer_timeout_warning',
        text: 'The chat will close soon',
      },
      sut.router(),
    );
    await sut.execute(
      'unassign_agent',
      { chat_id, thread_id, agent_id: agent.userId, reason: 'disconnected' },
      sut.router(),
    );
    const chat = await lastThread(chat_id);
    expect(chat.thread.active).toBe(true);
    expect(chat.thread.events.slice(-2)).toMatchObject([
      { system_message_type: 'customer_timeout_warning' },
      { system_message_type: 'routing.unassigned_disconnected', text_vars: { agent: agent.name } },
    ]);
    await expect(
      sut.execute(
        'unassign_agent',
        { chat_id, thread_id, agent_id: agent.userId, reason: 'disconnected' },
        sut.router(),
      ),
    ).rejects.toMatchObject({ type: 'not_found' });
    await expect(
      sut.execute('close_thread_for_routing', { chat_id, thread_id, reason: 'x' }, sut.router()),
    ).rejects.toMatchObject({ type: 'validation' });
    await expect(
      sut.execute(
        'close_thread_for_routing',
        { chat_id, thread_id, reason: 'offline' },
        sut.agent(),
      ),
    ).rejects.toMatchObject({ type: 'authorization' });
  });
});
