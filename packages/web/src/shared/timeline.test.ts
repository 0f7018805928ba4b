import { describe, expect, it } from 'vitest';
import { applyPush, type Chats, chatView, isSeenByOthers, refreshed } from './timeline.ts';

const customer = { id: 'cust', type: 'customer', name: 'Carla' };
const ann = { id: 'ann', type: 'agent', name: 'Ann' };
const message = (id: string, author: string, at: string, text = id) => ({
  id,
  type: 'message',
  author_id: author,
  created_at: at,
  text,
});

function aChat(): Chats {
  const chat = chatView({
    id: 'C1',
    users: [customer, ann],
    thread: { id: 'T1', active: true, events: [message('e1', 'cust', '2026-12-06T10:00:01Z')] },
  });
  return { C1: chat };
}

describe('applyPush', () => {
  it('adds an event once, in time order, and clears its author’s typing and sneak peek', () => {
    let chats = applyPush(
      aChat(),
      'incoming_sneak_peek',
      {
        chat_id: 'C1',
        sneak_peek: { text: 'where is' },
      },
      'ann',
    );
    chats = applyPush(
      chats,
      'incoming_typing_indicator',
      {
        chat_id: 'C1',
        typing_indicator: { author_id: 'cust', is_typing: true },
      },
      'ann',
    );
    expect(chats.C1).toMatchObject({ typing: ['cust'], sneakPeek: 'where is' });
    const late = message('e0', 'cust', '2026-12-06T10:00:00Z');
    const latest = message('e2', 'cust', '2026-12-06T10:00:02Z');
    for (const event of [latest, late, latest]) {
      chats = applyPush(chats, 'incoming_event', { chat_id: 'C1', event }, 'ann');
    }
    expect(chats.C1?.events.map((event) => event.id)).toEqual(['e0', 'e1', 'e2']);
    expect(chats.C1).toMatchObject({ typing: [], sneakPeek: undefined });
  });

  it('drops a chat transferred to someone else from an agent’s list, keeps it for the customer', () => {
    const push = { chat_id: 'C1', transferred_to: { agent_ids: ['bob'] } };
    expect(applyPush(aChat(), 'chat_transferred', push, 'ann')).toEqual({});
    expect(Object.keys(applyPush(aChat(), 'chat_transferred', push, 'cust'))).toEqual(['C1']);
  });

  it('follows the queue until an agent joins, and ends the chat on chat_deactivated', () => {
    let chats = applyPush(
      aChat(),
      'queue_positions_updated',
      [
        { chat_id: 'C1', queue: { position: 2, wait_time: 30 } },
        { chat_id: 'other', queue: { position: 1 } },
      ] as unknown as Record<string, unknown>,
      'ann',
    );
    expect(chats.C1?.queuePosition).toBe(2);
    chats = applyPush(chats, 'user_added_to_chat', { chat_id: 'C1', user: ann }, 'cust');
    expect(chats.C1?.queuePosition).toBeUndefined();
    chats = applyPush(chats, 'chat_deactivated', { chat_id: 'C1' }, 'cust');
    expect(chats.C1?.active).toBe(false);
  });

  it('drops a queued chat another agent took, keeps one it was given itself', () => {
    const queued: Chats = { C2: { ...chatView({ id: 'C2' }), active: true, queuePosition: 1 } };
    const bob = { id: 'bob', type: 'agent', name: 'Bob' };
    expect(applyPush(queued, 'user_added_to_chat', { chat_id: 'C2', user: bob }, 'ann')).toEqual(
      {},
    );
    const mine = applyPush(queued, 'user_added_to_chat', { chat_id: 'C2', user: ann }, 'ann');
    expect(mine.C2?.queuePosition).toBeUndefined();
    // An agent added to a chat the page's agent is in already is company, not a taker.
    expect(
      Object.keys(applyPush(aChat(), 'user_added_to_chat', { chat_id: 'C1', user: bob }, 'ann')),
    ).toEqual(['C1']);
  });

  it('tags and untags the thread', () => {
    let chats = applyPush(aChat(), 'thread_tagged', { chat_id: 'C1', tag: 'refund' }, 'ann');
    chats = applyPush(chats, 'thread_tagged', { chat_id: 'C1', tag: 'vip' }, 'ann');
    chats = applyPush(chats, 'thread_untagged', { chat_id: 'C1', tag: 'refund' }, 'ann');
    expect(chats.C1?.tags).toEqual(['vip']);
  });
});

describe('isSeenByOthers', () => {
  it('is true once another user has seen up to the page user’s last message', () => {
    const chats = aChat();
    expect(isSeenByOthers(chats.C1!, 'cust')).toBe(false);
    const seen = applyPush(
      chats,
      'events_marked_as_seen',
      {
        chat_id: 'C1',
        user_id: 'ann',
        seen_up_to: '2026-12-06T10:00:01Z',
      },
      'cust',
    );
    expect(isSeenByOthers(seen.C1!, 'cust')).toBe(true);
  });
});

describe('refreshed', () => {
  it('keeps events and typing that pushes brought while the chat was read again', () => {
    const typing = applyPush(
      aChat(),
      'incoming_typing_indicator',
      {
        chat_id: 'C1',
        typing_indicator: { author_id: 'ann', is_typing: true },
      },
      'cust',
    );
    const read = chatView({ id: 'C1', users: [customer, ann], thread: { id: 'T1', active: true } });
    expect(refreshed(typing.C1, read)).toMatchObject({
      typing: ['ann'],
      events: typing.C1?.events,
    });
  });
});
