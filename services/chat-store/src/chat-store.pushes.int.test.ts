import type { Subscription } from '@nats-io/nats-core';
import { decodePush } from '@threadline/bus';
import type { Push, Requester } from '@threadline/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventLog } from './adapters/nats/event-log.ts';
import { startTestChatStores, type TestChatStores } from './testing/harness.ts';

let sut: TestChatStores;

beforeAll(async () => {
  sut = await startTestChatStores(2);
});
afterAll(async () => {
  await sut?.stop();
});

/** Collects the pushes published on a user's subject, as a gateway serving that user would. */
async function listen(user: Requester) {
  const received: Push[] = [];
  const subscription: Subscription = sut.client.connection.subscribe(
    sut.subjects.userPushes(user.organizationId, user.userId),
    {
      callback: (_error, message) => {
        received.push(decodePush(message.data));
      },
    },
  );
  await sut.client.connection.flush();
  return {
    received,
    /** Waits until a push of `action` arrives (pushes are fire-and-forget, so they may trail the reply). */
    async next(action: string, count = 1): Promise<Push[]> {
      for (let waited = 0; waited < 5_000; waited += 20) {
        const matching = received.filter((push) => push.action === action);
        if (matching.length >= count) return matching;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`no ${action} push for ${user.userId}`);
    },
    stop: () => subscription.unsubscribe(),
  };
}

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
    const copyOf = (pushes: Push[]) =>
      pushes.find((push) => JSON.parse(push.payloadJson).event.id === sent.event_id);
    const own = copyOf(await customerPushes.next('incoming_event', 2));
    const theirs = copyOf(await agentPushes.next('incoming_event', 2));
    expect(JSON.parse(own!.payloadJson)).toMatchObject({ chat_id, event: { text: 'hello agent' } });
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
    expect(JSON.parse((await customerPushes.next('incoming_chat'))[0]!.payloadJson)).toMatchObject({
      requester_id: customer.userId,
      chat: { id: chat_id, thread: { id: thread_id } },
    });

    await sut.execute(
      'assign_agent',
      { chat_id, thread_id, agent: { id: agent.userId, name: agent.name } },
      sut.router(),
    );

    const [incoming] = await agentPushes.next('incoming_chat');
    expect(JSON.parse(incoming!.payloadJson)).toMatchObject({
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
    expect(JSON.parse(added!.payloadJson)).toEqual({
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
        .map((push) => JSON.parse(push.payloadJson).event.text),
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
    expect(JSON.parse(deactivated!.payloadJson)).toEqual({
      chat_id,
      thread_id,
      user_id: customer.userId,
    });
    const [archived] = await customerPushes.next('incoming_event');
    expect(JSON.parse(archived!.payloadJson)).toMatchObject({
      event: { type: 'system_message', system_message_type: 'manual_archived_customer' },
    });
    customerPushes.stop();
  });
});
