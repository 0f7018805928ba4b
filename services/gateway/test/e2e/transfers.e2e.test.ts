import { createAgent, createClient, createGroup, createOrganization } from '@threadline/accounts';
import type { RtmClient } from '@threadline/sdk';
import { eventually } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2eWorld, isChat, startE2eWorld } from './e2e-world.ts';

/**
 * transfer_chat and list_agents_for_transfer through the real gateway, chat-store and router:
 * the gateway asks the router whether the target can take the chat, chat-store moves it, and the
 * router carries the load over (to an agent) or routes the chat again (to a group).
 */
const pushTimeoutMs = 20_000;

let world: E2eWorld;

// One replica of each: transfers are about the services' contract, not about scale.
beforeAll(async () => {
  world = await startE2eWorld({ name: 'transfers', replicas: 1 });
});

afterAll(async () => {
  await world?.stop();
});

type Status = 'accepting_chats' | 'not_accepting_chats';

/**
 * An organization of its own: agents A and B in General only, C also in Sales; only A accepts
 * chats at first, so the customer's chat goes to A.
 */
async function organizationWithTeam() {
  const { accounts } = world;
  const organization = await createOrganization(accounts, { name: 'Transfers' });
  const sales = await createGroup(accounts, { organizationId: organization.id, name: 'Sales' });
  const client = await createClient(accounts, { organizationId: organization.id, name: 'Widget' });
  const agent = async (name: string, groups: number[], status: Status) => {
    const created = await createAgent(accounts, {
      organizationId: organization.id,
      email: `${name}-${organization.id.slice(0, 8)}@transfers.test`,
      name,
      role: 'owner',
      groups,
    });
    const socket = await world.connectAgent(created);
    await socket.request('set_routing_status', { status });
    return { id: created.agent.id, socket };
  };
  const a = await agent('A', [0], 'accepting_chats');
  const b = await agent('B', [0], 'not_accepting_chats');
  const c = await agent('C', [0, sales.id], 'not_accepting_chats');
  const { socket: customer } = await world.connectCustomer(organization.id, client.id);
  const { chat_id } = await customer.request('start_chat', {
    chat: { thread: { events: [{ type: 'message', text: 'I need help' }] } },
  });
  const chatId = String(chat_id);
  await a.socket.waitForPush('incoming_chat', isChat(chatId), pushTimeoutMs);
  return { a, b, c, customer, chatId, sales: sales.id };
}

describe('transfer_chat through gateway, chat-store and router', () => {
  it('to an agent: refused while they do not accept chats, then they take the chat and its load', async () => {
    const { a, b, customer, chatId } = await organizationWithTeam();
    const toB = { id: chatId, target: { type: 'agent', ids: [b.id] } };

    await expect(a.socket.request('transfer_chat', toB)).rejects.toMatchObject({
      type: 'agent_offline',
    });
    await b.socket.request('set_routing_status', { status: 'accepting_chats' });
    expect(await a.socket.request('transfer_chat', toB)).toEqual({});

    await b.socket.waitForPush('incoming_chat', isChat(chatId), pushTimeoutMs);
    const transferredTo = { agent_ids: [b.id], group_ids: [] };
    for (const agent of [a, b]) {
      const push = await agent.socket.waitForPush('chat_transferred', isChat(chatId));
      expect(push.payload).toMatchObject({
        chat_id: chatId,
        requester_id: a.id,
        reason: 'manual',
        transferred_to: transferredTo,
      });
    }
    const told = await customer.waitForPush('chat_transferred', isChat(chatId));
    expect(told.payload).toMatchObject({ transferred_to: transferredTo });
    expect(told.payload).not.toHaveProperty('reason');
    const message = await customer.waitForPush(
      'incoming_event',
      isSystemMessage(chatId, 'chat_transferred'),
    );
    expect(message.payload).toMatchObject({
      event: { text_vars: { initiator: 'A', targets: b.id } },
    });

    // The router moved the chat from A's load to B's.
    await eventually(async () => {
      const agents = await b.socket.request('list_agents_for_transfer', { chat_id: chatId });
      expect(agents).toEqual([
        { agent_id: a.id, total_active_chats: 0 },
        { agent_id: b.id, total_active_chats: 1 },
      ]);
    }, pushTimeoutMs);
  });

  it('to an agent with ignore_agents_availability: they get the chat without accepting chats', async () => {
    const { a, c, chatId } = await organizationWithTeam();
    await a.socket.request('transfer_chat', {
      id: chatId,
      target: { type: 'agent', ids: [c.id] },
      ignore_agents_availability: true,
    });
    await c.socket.waitForPush('incoming_chat', isChat(chatId), pushTimeoutMs);
    // C does not accept chats, so is not listed; A's slot was given back.
    await eventually(async () => {
      const agents = await a.socket.request('list_agents_for_transfer', { chat_id: chatId });
      expect(agents).toEqual([{ agent_id: a.id, total_active_chats: 0 }]);
    }, pushTimeoutMs);
  });

  it('to a group: access changes, and the router routes the chat in that group only', async () => {
    const { a, b, c, customer, chatId, sales } = await organizationWithTeam();
    const toSales = { id: chatId, target: { type: 'group', ids: [sales] } };
    await b.socket.request('set_routing_status', { status: 'accepting_chats' });

    // Nobody of Sales accepts chats (A and B are in General only).
    await expect(a.socket.request('transfer_chat', toSales)).rejects.toMatchObject({
      type: 'group_offline',
    });
    expect(
      await a.socket.request('transfer_chat', { ...toSales, ignore_agents_availability: true }),
    ).toEqual({});
    const access = await a.socket.waitForPush('chat_access_updated', isChat(chatId));
    expect(access.payload).toEqual({
      id: chatId,
      access: { group_ids: [sales] },
      // Threadline's resume position (gateway README, "Gap-free resume").
      _threadline: {
        chat_id: chatId,
        sequence: expect.any(Number),
        index: 0,
        previous: expect.any(Number),
      },
    });
    const transferred = await a.socket.waitForPush('chat_transferred', isChat(chatId));
    expect(transferred.payload).toMatchObject({
      reason: 'manual',
      transferred_to: { group_ids: [sales], agent_ids: [] },
    });
    await customer.waitForPush('incoming_event', isSystemMessage(chatId, 'chat_transferred'));

    // The chat waits for Sales: A and B accept chats but are not in it.
    await c.socket.request('set_routing_status', { status: 'accepting_chats' });
    const routed = await c.socket.waitForPush('incoming_chat', isChat(chatId), pushTimeoutMs);
    expect(routed.payload).toMatchObject({ chat: { access: { group_ids: [sales] } } });
    await customer.waitForPush(
      'user_added_to_chat',
      (payload) => isChat(chatId)(payload) && (payload.user as { id: string }).id === c.id,
    );
    const incoming = (socket: RtmClient) =>
      socket.pushes.filter(
        (push) =>
          push.action === 'incoming_chat' &&
          isChat(chatId)(push.payload as Record<string, unknown>),
      );
    expect(incoming(a.socket)).toHaveLength(1); // when the customer started the chat
    expect(incoming(b.socket)).toHaveLength(0);
  });
});

function isSystemMessage(chatId: string, systemMessageType: string) {
  return (payload: Record<string, unknown>) => {
    const event = payload.event as { type?: string; system_message_type?: string } | undefined;
    return (
      payload.chat_id === chatId &&
      event?.type === 'system_message' &&
      event.system_message_type === systemMessageType
    );
  };
}
