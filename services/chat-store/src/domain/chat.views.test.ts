import type { ChatEvent } from '@threadline/protocol';
import { describe, expect, it } from 'vitest';
import { customerPayload, isThreadRestricted, viewerOf, visibleEvents } from './chat.views.ts';
import { aCustomer, anAgent } from './testing/factories.ts';

const at = '2025-11-25T10:00:00.000000Z';
const deleted: ChatEvent = {
  id: 'T_1',
  custom_id: 'c1',
  created_at: at,
  type: 'message',
  text: 'secret',
  author_id: 'customer-1',
  visibility: 'all',
  deleted: true,
};
const note: ChatEvent = {
  id: 'T_2',
  created_at: at,
  type: 'message',
  text: 'n',
  visibility: 'agents',
};

describe('chat views', () => {
  it('shows deleted events to administrators, a stub to normal agents, nothing to customers', () => {
    expect(viewerOf(anAgent({ role: 'owner' }))).toBe('administrator');
    expect(viewerOf(anAgent({ role: 'viceowner' }))).toBe('administrator');
    expect(viewerOf(anAgent())).toBe('agent');
    expect(viewerOf(aCustomer())).toBe('customer');
    expect(visibleEvents([deleted], 'administrator')).toEqual([deleted]);
    expect(visibleEvents([deleted], 'agent')).toEqual([
      {
        id: 'T_1',
        custom_id: 'c1',
        created_at: at,
        type: 'message',
        author_id: 'customer-1',
        visibility: 'all',
        deleted: true,
      },
    ]);
    expect(visibleEvents([deleted, note], 'customer')).toEqual([]);
  });

  it('names the typing indicator audience recipients for customers', () => {
    const payload = customerPayload({
      action: 'incoming_typing_indicator',
      payload: {
        chat_id: 'C',
        thread_id: 'T',
        typing_indicator: { author_id: 'a', visibility: 'all', timestamp: 1, is_typing: true },
      },
      recipientUserIds: [],
      recipientGroupIds: [],
    });
    expect(payload).toEqual({
      chat_id: 'C',
      thread_id: 'T',
      typing_indicator: { author_id: 'a', recipients: 'all', timestamp: 1, is_typing: true },
    });
  });

  it('gives customers nothing of agents-only notifications', () => {
    expect(
      customerPayload({
        action: 'thread_tagged',
        payload: {},
        recipientUserIds: [],
        recipientGroupIds: [],
        agentsOnly: true,
      }),
    ).toBeUndefined();
  });

  it('restricts a thread for an agent in none of its groups who took no part in it', () => {
    const thread = { access: { group_ids: [1] }, userIds: ['a@x'] };
    expect(isThreadRestricted(thread, { id: 'b@x', groupIds: [2] })).toBe(true);
    expect(isThreadRestricted(thread, { id: 'b@x', groupIds: [1, 2] })).toBe(false);
    expect(isThreadRestricted(thread, { id: 'a@x', groupIds: [2] })).toBe(false);
    // The chat's current thread follows the chat's access.
    expect(isThreadRestricted(thread, { id: 'b@x', groupIds: [2] }, { group_ids: [2] })).toBe(
      false,
    );
    // Customers and the router: no groups given, never restricted.
    expect(isThreadRestricted(thread, { id: 'customer-1' })).toBe(false);
  });
});
