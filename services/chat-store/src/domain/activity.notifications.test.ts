import { describe, expect, it } from 'vitest';
import type { PayloadCommandType } from './chat.commands.ts';
import { fold } from './chat.evolve.ts';
import { notificationsFor } from './chat.notifications.ts';
import type { Actor, ChatDomainEvent } from './chat.types.ts';
import { customerPayload } from './chat.views.ts';
import { eventsOf } from './testing/decider-spec.ts';
import {
  aCommand,
  aMessage,
  anAgent,
  aRichMessage,
  deactivateChat,
  later,
  sendEvent,
} from './testing/factories.ts';
import { anAssignedChat } from './testing/histories.ts';

const { customer, agent, started, assigned } = anAssignedChat({ text: 'hi' });
const other = anAgent({ id: 'other@example.com', name: 'Olga Other' });
const base = [...started, ...assigned];

/** Decides a command on `history` and returns what its batch announces. */
function announce<T extends PayloadCommandType>(
  history: ChatDomainEvent[],
  type: T,
  actor: Actor,
  payload: Parameters<typeof aCommand<T>>[2],
) {
  const events = eventsOf(fold(history), aCommand(type, actor, payload));
  return { events, notifications: notificationsFor(fold(history), events, actor) };
}

const actions = (notifications: { action: string; recipientUserIds: string[] }[]) =>
  notifications.map((n) => [n.action, n.recipientUserIds]);

describe('notifications of participants and followers', () => {
  it('gives an added agent incoming_chat (push only), the others user_added_to_chat, all the system message', () => {
    const { notifications } = announce(base, 'add_user_to_chat', agent, {
      chat_id: 'CHAT000001',
      user_id: other.id,
      user_type: 'agent',
      visibility: 'all',
    });
    expect(actions(notifications)).toEqual([
      ['incoming_chat', [other.id]],
      ['user_added_to_chat', [customer.id, agent.id]],
      ['incoming_event', [customer.id, agent.id, other.id]],
    ]);
    expect(notifications[0]?.pushOnly).toBe(true);
    expect(notifications[1]?.payload).toMatchObject({
      chat_id: 'CHAT000001',
      thread_id: 'THREAD0001',
      user: { id: other.id, present: true },
      reason: 'manual',
      requester_id: agent.id,
    });
  });

  it('keeps an agents-visibility user from the customer', () => {
    const { notifications } = announce(base, 'add_user_to_chat', agent, {
      chat_id: 'CHAT000001',
      user_id: other.id,
      user_type: 'agent',
      visibility: 'agents',
    });
    expect(notifications.slice(1).map((n) => customerPayload(n))).toEqual([undefined, undefined]);
  });

  it('tells everyone present before, the removed user included, about a removal', () => {
    const { notifications } = announce(base, 'remove_user_from_chat', agent, {
      chat_id: 'CHAT000001',
      user_id: agent.id,
      user_type: 'agent',
    });
    expect(notifications[0]).toMatchObject({
      action: 'user_removed_from_chat',
      payload: {
        chat_id: 'CHAT000001',
        thread_id: 'THREAD0001',
        user_id: agent.id,
        reason: 'manual',
        requester_id: agent.id,
      },
      recipientUserIds: [customer.id, agent.id],
    });
    // The agent_left message goes to those still present.
    expect(actions(notifications.slice(1))).toEqual([['incoming_event', [customer.id]]]);
  });

  it('pushes incoming_chat to a new follower only, and chat_unfollowed when they stop', () => {
    const follow = announce(base, 'follow_chat', other, { id: 'CHAT000001' });
    expect(follow.notifications).toEqual([
      expect.objectContaining({
        action: 'incoming_chat',
        recipientUserIds: [other.id],
        pushOnly: true,
        payload: expect.objectContaining({ requester_id: other.id }),
      }),
    ]);
    const unfollow = announce([...base, ...follow.events], 'unfollow_chat', other, {
      id: 'CHAT000001',
    });
    expect(unfollow.notifications).toEqual([
      expect.objectContaining({
        action: 'chat_unfollowed',
        payload: { chat_id: 'CHAT000001' },
        recipientUserIds: [other.id],
        pushOnly: true,
      }),
    ]);
    expect(announce(base, 'follow_chat', agent, { id: 'CHAT000001' }).notifications).toEqual([]);
  });
});

describe('notifications of seen state, properties, tags and events', () => {
  it('announces events_marked_as_seen when the batch only marks events seen', () => {
    const { notifications } = announce(base, 'mark_events_as_seen', agent, {
      chat_id: 'CHAT000001',
      seen_up_to: later,
    });
    expect(notifications).toEqual([
      expect.objectContaining({
        action: 'events_marked_as_seen',
        payload: { user_id: agent.id, chat_id: 'CHAT000001', seen_up_to: later },
        recipientUserIds: [customer.id, agent.id],
      }),
    ]);
  });

  it('sends only the changed part of properties', () => {
    const { notifications } = announce(base, 'update_thread_properties', agent, {
      chat_id: 'CHAT000001',
      thread_id: 'THREAD0001',
      properties: { rating: { score: 1 } },
    });
    expect(notifications).toEqual([
      expect.objectContaining({
        action: 'thread_properties_updated',
        payload: {
          chat_id: 'CHAT000001',
          thread_id: 'THREAD0001',
          properties: { rating: { score: 1 } },
        },
      }),
    ]);
  });

  it('keeps tags and changes to agents-only events from customers', () => {
    const tagged = announce(base, 'tag_thread', agent, {
      chat_id: 'CHAT000001',
      thread_id: 'THREAD0001',
      tag: 'vip',
    });
    expect(tagged.notifications[0]).toMatchObject({
      action: 'thread_tagged',
      payload: { chat_id: 'CHAT000001', thread_id: 'THREAD0001', tag: 'vip' },
      agentsOnly: true,
    });
    const note = eventsOf(fold(base), sendEvent(agent, aMessage('n', { visibility: 'agents' })));
    const changed = announce([...base, ...note], 'update_event_properties', agent, {
      chat_id: 'CHAT000001',
      thread_id: 'THREAD0001',
      event_id: 'THREAD0001_3',
      properties: { a: { b: 1 } },
    });
    expect(customerPayload(changed.notifications[0]!)).toBeUndefined();
  });

  it('announces a deleted event by its ids', () => {
    const { notifications } = announce(base, 'delete_event', customer, {
      chat_id: 'CHAT000001',
      thread_id: 'THREAD0001',
      event_id: 'THREAD0001_1',
    });
    expect(notifications).toEqual([
      expect.objectContaining({
        action: 'event_deleted',
        payload: { chat_id: 'CHAT000001', thread_id: 'THREAD0001', event_id: 'THREAD0001_1' },
      }),
    ]);
  });

  it('announces postbacks on active threads only', () => {
    const card = eventsOf(fold(base), sendEvent(agent, aRichMessage(['yes'])));
    const postback = {
      chat_id: 'CHAT000001',
      thread_id: 'THREAD0001',
      event_id: 'THREAD0001_3',
      postback: { id: 'yes', toggled: true },
    };
    const active = announce([...base, ...card], 'send_rich_message_postback', customer, postback);
    expect(active.notifications[0]).toMatchObject({
      action: 'incoming_rich_message_postback',
      payload: { user_id: customer.id, event_id: 'THREAD0001_3', postback: { id: 'yes' } },
    });
    const closed = eventsOf(fold([...base, ...card]), deactivateChat(agent));
    const inactive = announce(
      [...base, ...card, ...closed],
      'send_rich_message_postback',
      customer,
      postback,
    );
    expect(inactive.notifications).toEqual([]);
  });

  it('sends a thread summary to the requester even when no agent is present any more', () => {
    const closed = eventsOf(fold(base), deactivateChat(agent));
    const { notifications } = announce([...base, ...closed], 'request_thread_summary', other, {
      chat_id: 'CHAT000001',
      thread_id: 'THREAD0001',
    });
    expect(notifications[0]).toMatchObject({
      action: 'thread_summary_set',
      recipientUserIds: [other.id],
      agentsOnly: true,
      payload: { chat_id: 'CHAT000001', thread_id: 'THREAD0001', summary: { status: 'ok' } },
    });
  });
});
