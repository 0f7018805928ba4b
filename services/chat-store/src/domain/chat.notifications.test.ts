import { describe, expect, it } from 'vitest';
import { fold } from './chat.evolve.ts';
import { notificationsFor } from './chat.notifications.ts';
import type { ChatDomainEvent } from './chat.types.ts';
import { customerPayload } from './chat.views.ts';
import { eventsOf } from './testing/decider-spec.ts';
import { aMessage, deactivateChat, sendEvent, startChat, theRouter } from './testing/factories.ts';
import { anAssignedChat } from './testing/histories.ts';

const { customer, agent, started, assigned } = anAssignedChat({ text: 'hi' });

function announce(history: ChatDomainEvent[], events: ChatDomainEvent[], actor = customer) {
  return notificationsFor(fold(history), events, actor);
}

describe('chat notifications', () => {
  it('announces a started chat as one incoming_chat with its thread to the chat users', () => {
    const [notification, ...rest] = announce([], started);
    expect(rest).toEqual([]);
    expect(notification).toMatchObject({
      action: 'incoming_chat',
      recipientUserIds: [customer.id],
      recipientGroupIds: [0],
      payload: {
        requester_id: customer.id,
        chat: {
          id: 'CHAT000001',
          users: [{ id: customer.id }],
          access: { group_ids: [0] },
          thread: { id: 'THREAD0001', active: true, events: [{ id: 'THREAD0001_1', text: 'hi' }] },
        },
      },
    });
  });

  it('sends incoming_chat to the assigned agent, user_added_to_chat to the others, the system message to all', () => {
    const notifications = announce(started, assigned, theRouter());
    expect(notifications.map((n) => [n.action, n.recipientUserIds])).toEqual([
      ['incoming_chat', [agent.id]],
      ['user_added_to_chat', [customer.id]],
      ['incoming_event', [customer.id, agent.id]],
    ]);
    expect(notifications.map((n) => n.pushOnly ?? false)).toEqual([true, false, false]);
    expect(notifications[0]?.payload).not.toHaveProperty('requester_id');
    expect(notifications[1]?.payload).toEqual({
      chat_id: 'CHAT000001',
      thread_id: 'THREAD0001',
      user: expect.objectContaining({ id: agent.id, type: 'agent' }),
      reason: 'assigned',
    });
  });

  it('announces a sent event as incoming_event to the present users', () => {
    const sent = eventsOf(fold([...started, ...assigned]), sendEvent(agent));
    expect(announce([...started, ...assigned], sent, agent)).toEqual([
      {
        action: 'incoming_event',
        payload: {
          chat_id: 'CHAT000001',
          thread_id: 'THREAD0001',
          event: expect.objectContaining({ id: 'THREAD0001_3' }),
        },
        recipientUserIds: [customer.id, agent.id],
        recipientGroupIds: [0],
      },
    ]);
  });

  it('tells everyone present before the close that the chat was deactivated, and by whom', () => {
    const history = [...started, ...assigned];
    const notifications = announce(history, eventsOf(fold(history), deactivateChat(customer)));
    expect(notifications.map((n) => [n.action, n.recipientUserIds])).toEqual([
      ['incoming_event', [customer.id, agent.id]],
      ['chat_deactivated', [customer.id, agent.id]],
    ]);
    expect(notifications[1]?.payload).toEqual({
      chat_id: 'CHAT000001',
      thread_id: 'THREAD0001',
      user_id: customer.id,
    });
  });
});

describe('customer payloads', () => {
  it('withholds agents-only events from customers', () => {
    const history = [...started, ...assigned];
    const note = eventsOf(
      fold(history),
      sendEvent(agent, aMessage('internal', { visibility: 'agents' })),
    );
    const [notification] = announce(history, note, agent);
    expect(customerPayload(notification!)).toBeUndefined();
  });

  it('filters agents-only events out of incoming_chat and drops tags', () => {
    const events = eventsOf(
      fold([]),
      startChat(agent, {
        chat: {
          users: [{ id: customer.id, type: 'customer' }],
          thread: { events: [aMessage('hello'), aMessage('note', { visibility: 'agents' })] },
        },
      }),
    );
    const [notification] = announce([], events, agent);
    const payload = customerPayload(notification!) as { chat: { thread: Record<string, unknown> } };
    expect(payload.chat.thread.events).toEqual([expect.objectContaining({ text: 'hello' })]);
    expect(payload.chat.thread).not.toHaveProperty('tags');
  });
});
