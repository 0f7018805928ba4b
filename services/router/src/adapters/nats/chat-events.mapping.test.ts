import { ChatEventBatch, Notification } from '@threadline/contracts';
import { describe, expect, it } from 'vitest';
import { readRoutingSignals } from './chat-events.mapping.ts';

const aBatch = (...notifications: { action: string; payload: unknown; groups?: number[] }[]) =>
  ChatEventBatch.fromPartial({
    organizationId: 'org1',
    chatId: 'C1',
    version: 1,
    notifications: notifications.map((notification) =>
      Notification.fromPartial({
        action: notification.action,
        payloadJson: JSON.stringify(notification.payload),
        recipientGroupIds: notification.groups ?? [],
      }),
    ),
  });

const customer = { id: 'cust1', type: 'customer', present: true };
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
      { type: 'chat_needs_agent', chatId: 'C1', threadId: 'T1', groupIds: [2] },
    ]);
  });

  it('falls back to the recipient groups when the chat carries no access', () => {
    const payload = incomingChat();
    delete (payload.chat as { access?: unknown }).access;
    const signals = readRoutingSignals(aBatch({ action: 'incoming_chat', payload, groups: [4] }));
    expect(signals).toEqual([
      { type: 'chat_needs_agent', chatId: 'C1', threadId: 'T1', groupIds: [4] },
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
