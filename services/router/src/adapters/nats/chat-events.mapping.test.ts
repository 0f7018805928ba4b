import { ChatEventBatch, Notification } from '@threadline/contracts';
import { describe, expect, it } from 'vitest';
import { readRoutingSignals } from './chat-events.mapping.ts';

const aBatch = (...notifications: { action: string; payload: unknown; groups?: number[] }[]) =>
  ChatEventBatch.fromPartial({
    organizationId: 'org1',
    chatId: 'C1',
    notifications: notifications.map((notification) =>
      Notification.fromPartial({
        action: notification.action,
        payloadJson: JSON.stringify(notification.payload),
        recipientGroupIds: notification.groups ?? [],
      }),
    ),
  });

const customer = { id: 'cust1', type: 'customer', present: true };
const agent = { id: 'a@x.io', type: 'agent', present: true };
const incomingChat = (
  overrides: { users?: unknown[]; active?: boolean; access?: unknown } = {},
) => ({
  chat: {
    id: 'C1',
    users: overrides.users ?? [customer],
    properties: {},
    access: overrides.access ?? { group_ids: [2] },
    thread: { id: 'T1', active: overrides.active ?? true, events: [] },
  },
});

describe('readRoutingSignals', () => {
  it('asks to route an incoming chat with an active thread and no present agent', () => {
    const signals = readRoutingSignals(
      aBatch({ action: 'incoming_chat', payload: incomingChat() }),
    );
    expect(signals).toEqual([
      {
        type: 'chat_needs_agent',
        chatId: 'C1',
        threadId: 'T1',
        groupIds: [2],
        continuous: false,
        customerId: 'cust1',
      },
    ]);
  });

  it('falls back to the recipient groups when the chat carries no access', () => {
    const payload = incomingChat();
    delete (payload.chat as { access?: unknown }).access;
    const signals = readRoutingSignals(aBatch({ action: 'incoming_chat', payload, groups: [4] }));
    expect(signals).toEqual([
      expect.objectContaining({ type: 'chat_needs_agent', chatId: 'C1', groupIds: [4] }),
    ]);
  });

  it('reads an incoming chat with a present agent as that agent carrying it', () => {
    const users = [
      customer,
      { id: 'a@x.io', type: 'agent', present: true },
      { id: 'b@x.io', type: 'agent', present: false },
    ];
    const signals = readRoutingSignals(
      aBatch({ action: 'incoming_chat', payload: incomingChat({ users }) }),
    );
    expect(signals).toEqual([
      { type: 'agent_joined', chatId: 'C1', threadId: 'T1', agentId: 'a@x.io' },
    ]);
  });

  it('ignores an incoming chat whose thread is not active', () => {
    expect(
      readRoutingSignals(
        aBatch({ action: 'incoming_chat', payload: incomingChat({ active: false }) }),
      ),
    ).toEqual([]);
  });

  it('reads agents added, users removed and threads closed', () => {
    const batch = aBatch(
      {
        action: 'user_added_to_chat',
        payload: {
          chat_id: 'C1',
          thread_id: 'T1',
          user: { id: 'a@x.io', type: 'agent', present: true },
          reason: 'manual',
        },
      },
      {
        action: 'user_added_to_chat',
        payload: { chat_id: 'C1', thread_id: 'T1', user: customer, reason: 'manual' },
      },
      {
        action: 'user_removed_from_chat',
        payload: { chat_id: 'C1', thread_id: 'T1', user_id: 'a@x.io', reason: 'manual' },
      },
      {
        action: 'chat_deactivated',
        payload: { chat_id: 'C1', thread_id: 'T1', user_id: 'a@x.io' },
      },
      { action: 'incoming_event', payload: { chat_id: 'C1', thread_id: 'T1', event: {} } },
    );
    expect(readRoutingSignals(batch)).toEqual([
      { type: 'agent_joined', chatId: 'C1', threadId: 'T1', agentId: 'a@x.io' },
      { type: 'user_left', chatId: 'C1', userId: 'a@x.io' },
      { type: 'thread_closed', chatId: 'C1', threadId: 'T1' },
    ]);
  });

  it("stamps joins, leaves and transfers with the chat's version, and with the batch's time the latest of its events", () => {
    const batch = ChatEventBatch.fromPartial({
      ...aBatch(
        { action: 'user_added_to_chat', payload: { chat_id: 'C1', thread_id: 'T1', user: agent } },
        { action: 'user_removed_from_chat', payload: { chat_id: 'C1', user_id: 'b@x.io' } },
        {
          action: 'chat_transferred',
          payload: { chat_id: 'C1', thread_id: 'T1', transferred_to: { group_ids: [3] } },
        },
      ),
      version: 7,
      events: [
        { type: 'user_added', occurredAt: '2026-12-05T10:00:00.000Z' },
        { type: 'chat_transferred', occurredAt: '2026-12-05T10:00:01.000Z' },
      ],
    });
    const at = Date.parse('2026-12-05T10:00:01.000Z');
    expect(readRoutingSignals(batch)).toEqual([
      { type: 'agent_joined', chatId: 'C1', threadId: 'T1', agentId: 'a@x.io', at, version: 7 },
      { type: 'user_left', chatId: 'C1', userId: 'b@x.io', version: 7 },
      {
        type: 'chat_needs_agent',
        chatId: 'C1',
        threadId: 'T1',
        groupIds: [3],
        transferred: true,
        at,
        version: 7,
      },
    ]);
  });

  it('routes a chat transferred to groups again, not one transferred to agents', () => {
    const transferred = (transferred_to: unknown) => ({
      action: 'chat_transferred',
      payload: { chat_id: 'C1', thread_id: 'T1', reason: 'manual', transferred_to },
      groups: [9],
    });
    expect(readRoutingSignals(aBatch(transferred({ group_ids: [3], agent_ids: [] })))).toEqual([
      { type: 'chat_needs_agent', chatId: 'C1', threadId: 'T1', groupIds: [3], transferred: true },
    ]);
    expect(readRoutingSignals(aBatch(transferred({ group_ids: [], agent_ids: ['a@x'] })))).toEqual(
      [],
    );
  });

  it('skips notifications it cannot read instead of failing the batch', () => {
    const batch = ChatEventBatch.fromPartial({
      notifications: [
        { action: 'incoming_chat', payloadJson: '{not json' },
        { action: 'chat_deactivated', payloadJson: '{"chat_id":1}' },
      ],
    });
    expect(readRoutingSignals(batch)).toEqual([]);
  });
});

describe('readRoutingSignals: the thread lifecycle', () => {
  const withRequester = (batch: ChatEventBatch, userType: string) =>
    ChatEventBatch.fromPartial({ ...batch, requester: { userId: 'u1', userType } });

  it('starts the timers of a started thread and counts its first message as the customer’s', () => {
    const payload = incomingChat();
    Object.assign(payload.chat.thread, {
      created_at: '2026-12-05T10:00:00.000000Z',
      events: [
        { type: 'message', created_at: '2026-12-05T10:00:00.100000Z' },
        { type: 'system_message', created_at: '2026-12-05T10:00:01.000000Z' },
      ],
    });
    const signals = readRoutingSignals(
      withRequester(aBatch({ action: 'incoming_chat', payload }), 'customer'),
    );
    // Routing first (the customer waits for it), then the timers' bookkeeping.
    expect(signals).toEqual([
      {
        type: 'chat_needs_agent',
        chatId: 'C1',
        threadId: 'T1',
        groupIds: [2],
        continuous: false,
        customerId: 'cust1',
      },
      {
        type: 'thread_started',
        chatId: 'C1',
        threadId: 'T1',
        groupIds: [2],
        customerId: 'cust1',
        continuous: false,
        at: Date.parse('2026-12-05T10:00:00Z'),
        activity: { author: 'customer', at: Date.parse('2026-12-05T10:00:00.100Z') },
      },
    ]);
  });

  it('reads an agent’s or bot’s event as agent activity and ignores the router’s own messages', () => {
    const event = (type: string) => ({
      action: 'incoming_event',
      payload: {
        chat_id: 'C1',
        thread_id: 'T1',
        event: { id: 'T1_2', type, created_at: '2026-12-05T10:05:00.000000Z' },
      },
    });
    expect(readRoutingSignals(withRequester(aBatch(event('message')), 'bot'))).toEqual([
      {
        type: 'thread_activity',
        chatId: 'C1',
        threadId: 'T1',
        author: 'agent',
        at: Date.parse('2026-12-05T10:05:00Z'),
      },
    ]);
    expect(readRoutingSignals(withRequester(aBatch(event('message')), 'system'))).toEqual([]);
    expect(readRoutingSignals(withRequester(aBatch(event('system_message')), 'agent'))).toEqual([]);
  });
});

describe('readRoutingSignals: routing properties', () => {
  it('carries routing.ignore_agents_routing (chat) and routing.ignore_bots (thread) to routing', () => {
    const payload = incomingChat();
    Object.assign(payload.chat, { properties: { routing: { ignore_agents_routing: true } } });
    Object.assign(payload.chat.thread, { properties: { routing: { ignore_bots: true } } });
    expect(readRoutingSignals(aBatch({ action: 'incoming_chat', payload }))).toEqual([
      expect.objectContaining({ type: 'chat_needs_agent', ignoreAgents: true, ignoreBots: true }),
    ]);
  });
});
