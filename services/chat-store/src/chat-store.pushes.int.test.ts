import { Requester } from '@threadline/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventLog } from './adapters/nats/event-log.ts';
import { startTestChatStores, type TestChatStores } from './testing/harness.ts';
import { listenForPushes, type ReceivedPush } from './testing/pushes.ts';

let sut: TestChatStores;

beforeAll(async () => {
  sut = await startTestChatStores(2);
});
afterAll(async () => {
  await sut?.stop();
});

const listen = (user: Requester) => listenForPushes(sut, user);

describe('chat-store pushes', () => {
  it("puts request_id only on the requester's copy, addressed to its connection", async () => {
    const customer = sut.customer();
    const agent = sut.agent();
    const customerPushes = await listen(customer);
    const agentPushes = await listen(agent);
    const { chat_id, thread_id } = await sut.execute<{ chat_id: string; thread_id: string }>(
      'start_chat',
      {},
      customer,
    );
    await sut.execute(
      'assign_agent',
      { chat_id, thread_id, agent: { id: agent.userId, name: agent.name } },
      sut.router(),
    );

    const sent = await sut.execute<{ event_id: string }>(
      'send_event',
      { chat_id, event: { type: 'message', text: 'hello agent' } },
      customer,
    );

    // Both also got the routing.assigned system message before; pick the copies of this event.
    const copyOf = (pushes: ReceivedPush[]) =>
      pushes.find((push) => (push.payload.event as { id: string }).id === sent.event_id)?.push;
    const own = copyOf(await customerPushes.next('incoming_event', 2));
    const theirs = copyOf(await agentPushes.next('incoming_event', 2));
    expect(JSON.parse(own?.payloadJson ?? '')).toMatchObject({
      chat_id,
      event: { text: 'hello agent' },
    });
    expect(own).toMatchObject({
      originConnectionId: customer.connectionId,
      requestId: customer.requestId,
    });
    expect(theirs).toMatchObject({ originConnectionId: '', requestId: '' });
    customerPushes.stop();
    agentPushes.stop();
  });

  it('announces an assignment: incoming_chat to the agent, user_added_to_chat to the customer', async () => {
    const customer = sut.customer();
    const agent = sut.agent();
    const customerPushes = await listen(customer);
    const agentPushes = await listen(agent);
    const { chat_id, thread_id } = await sut.execute<{ chat_id: string; thread_id: string }>(
      'start_chat',
      {},
      customer,
    );
    expect((await customerPushes.next('incoming_chat'))[0]?.payload).toMatchObject({
      requester_id: customer.userId,
      chat: { id: chat_id, thread: { id: thread_id } },
    });

    await sut.execute(
      'assign_agent',
      { chat_id, thread_id, agent: { id: agent.userId, name: agent.name } },
      sut.router(),
    );

    const [incoming] = await agentPushes.next('incoming_chat');
    expect(incoming?.payload).toMatchObject({
      chat: { id: chat_id, users: [{ id: customer.userId }, { id: agent.userId, present: true }] },
    });
    const stored = await createEventLog(sut.client, sut.subjects).readChat(
      sut.organizationId,
      chat_id,
      0,
    );
    // Webhooks and the router see the assignment as user_added_to_chat, never as a new chat.
    expect(stored.at(-1)?.batch.notifications.map((notification) => notification.action)).toEqual([
      'user_added_to_chat',
      'incoming_event',
    ]);
    const [added] = await customerPushes.next('user_added_to_chat');
    expect(added?.payload).toEqual({
      chat_id,
      thread_id,
      user: expect.objectContaining({ id: agent.userId, type: 'agent' }),
      reason: 'assigned',
    });
    customerPushes.stop();
    agentPushes.stop();
  });

  it('never pushes agents-only events to the customer', async () => {
    const customer = sut.customer();
    const agent = sut.agent();
    const customerPushes = await listen(customer);
    const agentPushes = await listen(agent);
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
    await sut.execute('send_event', { chat_id, event: { type: 'message', text: 'public' } }, agent);

    await agentPushes.next('incoming_event', 2);
    const toCustomer = await customerPushes.next('incoming_event');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(
      customerPushes.received
        .filter((push) => push.action === 'incoming_event')
        .map((push) => (push.payload.event as { text: string }).text),
    ).toEqual(['public']);
    expect(toCustomer).toHaveLength(1);
    customerPushes.stop();
    agentPushes.stop();
  });

  it('tells the chat users the chat was deactivated, and by whom', async () => {
    const customer = sut.customer();
    const customerPushes = await listen(customer);
    const { chat_id, thread_id } = await sut.execute<{ chat_id: string; thread_id: string }>(
      'start_chat',
      {},
      customer,
    );
    await sut.execute('deactivate_chat', { id: chat_id }, customer);

    const [deactivated] = await customerPushes.next('chat_deactivated');
    expect(deactivated?.payload).toEqual({
      chat_id,
      thread_id,
      user_id: customer.userId,
    });
    const [archived] = await customerPushes.next('incoming_event');
    expect(archived?.payload).toMatchObject({
      event: { type: 'system_message', system_message_type: 'manual_archived_customer' },
    });
    customerPushes.stop();
  });
  it("closes a banned customer's thread for the gateway: customer_banned, then chat_deactivated by the agent", async () => {
    const customer = sut.customer();
    const customerPushes = await listen(customer);
    const { agent, chat_id, thread_id } = await sut.assignedChat({}, { customer });
    const agentPushes = await listen(agent);
    const gateway = Requester.fromPartial({
      organizationId: customer.organizationId,
      userId: 'gateway',
      userType: 'system',
    });
    const payload = {
      chat_id,
      thread_id,
      customer_id: customer.userId,
      banned_by: { id: agent.userId, name: agent.name },
      days: 2,
    };
    const commandId = `ban:${customer.userId}:1:${chat_id}:${thread_id}`;
    expect(await sut.execute('close_thread_for_ban', payload, gateway, { commandId })).toEqual({});
    // The same ban again (a retried request) is absorbed as a repeat, not refused.
    expect(await sut.execute('close_thread_for_ban', payload, gateway, { commandId })).toEqual({});

    for (const pushes of [customerPushes, agentPushes]) {
      const [deactivated] = await pushes.next('chat_deactivated');
      expect(deactivated?.payload).toEqual({ chat_id, thread_id, user_id: agent.userId });
    }
    const banned = (await customerPushes.next('incoming_event', 2)).at(-1);
    expect(banned?.payload).toMatchObject({
      event: {
        type: 'system_message',
        system_message_type: 'customer_banned',
        text: `Customer was banned by ${agent.name} for 2 days`,
      },
    });
    await expect(sut.execute('close_thread_for_ban', payload, gateway)).rejects.toMatchObject({
      type: 'chat_inactive',
    });
    customerPushes.stop();
    agentPushes.stop();
  });
});
