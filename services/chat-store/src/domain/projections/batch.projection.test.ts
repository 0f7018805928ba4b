import { describe, expect, it } from 'vitest';
import { fold } from '../chat.evolve.ts';
import type { ChatDomainEvent } from '../chat.types.ts';
import { eventsOf } from '../testing/decider-spec.ts';
import {
  aCommand,
  aCustomer,
  aMessage,
  anAgent,
  assignAgent,
  deactivateChat,
  later,
  resumeChat,
  sendEvent,
  startChat,
} from '../testing/factories.ts';
import {
  eventsTouchedBy,
  type ProjectionChanges,
  projectBatch,
  threadsTouchedBy,
} from './batch.projection.ts';
import { agentChatSummary, customerChatSummary } from './chat.views.ts';
import type { ChatRow, EventRow, ThreadRow } from './rows.ts';

const customer = aCustomer();
const agent = anAgent();
const follower = anAgent({ id: 'follower@example.com' });

/** Applies batches the way the writer does: each against the rows the previous ones left. */
function projectAll(batches: ChatDomainEvent[][]) {
  let chat: ChatRow | undefined;
  const threads = new Map<string, ThreadRow>();
  const events = new Map<string, EventRow>();
  batches.forEach((batch, index) => {
    const touched = threadsTouchedBy(batch).flatMap((id) => threads.get(id) ?? []);
    const changedEvents = eventsTouchedBy(batch).flatMap((id) => events.get(id) ?? []);
    const changes = projectBatch(
      { chat, threads: touched, events: changedEvents },
      index + 1,
      batch,
    ) as ProjectionChanges;
    chat = changes.chat;
    for (const thread of changes.threads) threads.set(thread.id, thread);
    for (const event of changes.events) events.set(event.id, event);
  });
  return { chat: chat as ChatRow, threads: [...threads.values()], events: [...events.values()] };
}

/** A customer starts, the router assigns, the agent writes a note and closes, the customer returns. */
function aChatHistory(): ChatDomainEvent[][] {
  const batches: ChatDomainEvent[][] = [];
  const step = (command: Parameters<typeof eventsOf>[1]) => {
    batches.push(eventsOf(fold(batches.flat()), command));
  };
  step(startChat(customer, { chat: { thread: { events: [aMessage('hi')] } } }));
  step(assignAgent(agent));
  step(sendEvent(agent, aMessage('internal', { visibility: 'agents' })));
  step(deactivateChat(agent));
  step(resumeChat(customer, { thread: { events: [aMessage('again')] } }));
  return batches;
}

describe('chat projections', () => {
  it('keeps the chat row at the last version with its users, last thread and activity', () => {
    const { chat } = projectAll(aChatHistory());
    expect(chat).toMatchObject({
      id: 'CHAT000001',
      version: 5,
      customerId: customer.id,
      active: true,
      lastThreadId: 'THREAD0002',
      threadCount: 2,
      users: [
        { id: customer.id, present: true },
        { id: agent.id, present: false },
      ],
    });
  });

  it('orders threads, links them both ways and counts their events', () => {
    const { threads } = projectAll(aChatHistory());
    expect(threads).toEqual([
      expect.objectContaining({
        id: 'THREAD0001',
        order: 1,
        active: false,
        nextThreadId: 'THREAD0002',
        eventsCount: 4,
        userIds: [customer.id, agent.id],
      }),
      expect.objectContaining({
        id: 'THREAD0002',
        order: 2,
        active: true,
        previousThreadId: 'THREAD0001',
        eventsCount: 1,
      }),
    ]);
  });

  it('stores every event once with its position in its thread', () => {
    const { events } = projectAll(aChatHistory());
    expect(events.map((event) => [event.id, event.order, event.visibility])).toEqual([
      ['THREAD0001_1', 1, 'all'],
      ['THREAD0001_2', 2, 'all'],
      ['THREAD0001_3', 3, 'agents'],
      ['THREAD0001_4', 4, 'all'],
      ['THREAD0002_1', 1, 'all'],
    ]);
  });

  it('keeps the last event per type apart for customers, who never see agents-only events', () => {
    const batches = aChatHistory().slice(0, 3);
    const { chat, threads } = projectAll(batches);
    expect(
      agentChatSummary(chat, threads[0], { viewer: 'agent', id: agent.id }).last_event_per_type
        .message?.event.text,
    ).toBe('internal');
    expect(customerChatSummary(chat).last_event_per_type.message?.event.text).toBe('hi');
    expect(customerChatSummary(chat).last_event_per_type.message?.thread_order).toBe(1);
  });

  it('yields nothing for a batch on a chat that was never created', () => {
    const [, assigned] = aChatHistory();
    expect(
      projectBatch({ chat: undefined, threads: [], events: [] }, 2, assigned!),
    ).toBeUndefined();
  });

  it('folds the changes of later methods into the rows they touch', () => {
    const batches = aChatHistory();
    const step = (command: Parameters<typeof eventsOf>[1]) => {
      batches.push(eventsOf(fold(batches.flat()), command));
    };
    const ref = { chat_id: 'CHAT000001', thread_id: 'THREAD0001' };
    step(aCommand('follow_chat', follower, { id: 'CHAT000001' }));
    step(aCommand('tag_thread', follower, { ...ref, tag: 'vip' }));
    step(
      aCommand('update_event_properties', follower, {
        ...ref,
        event_id: 'THREAD0001_1',
        properties: { flags: { starred: true } },
      }),
    );
    step(aCommand('delete_event', customer, { ...ref, event_id: 'THREAD0001_1' }));
    step(aCommand('request_thread_summary', follower, ref));
    step(aCommand('mark_events_as_seen', customer, { chat_id: 'CHAT000001', seen_up_to: later }));
    const { chat, threads, events } = projectAll(batches);

    // The resume in the history reactivated the chat, yet this follow came after it.
    expect(chat.followerIds).toEqual([follower.id]);
    expect(chat.users[0]).toMatchObject({ id: customer.id, events_seen_up_to: later });
    expect(threads[0]).toMatchObject({ tags: ['vip'], summary: { status: 'ok' } });
    expect(events[0]).toMatchObject({
      id: 'THREAD0001_1',
      deleted: true,
      event: { deleted: true, properties: { flags: { starred: true } } },
    });
  });

  it('drops a deleted last event from the customer summary and flags it for agents', () => {
    const batches = aChatHistory();
    batches.push(
      eventsOf(
        fold(batches.flat()),
        aCommand('delete_event', customer, {
          chat_id: 'CHAT000001',
          thread_id: 'THREAD0002',
          event_id: 'THREAD0002_1',
        }),
      ),
    );
    const { chat } = projectAll(batches);
    expect(customerChatSummary(chat).last_event_per_type.message).toBeUndefined();
    const agentView = agentChatSummary(chat, undefined, { viewer: 'agent', id: agent.id });
    expect(agentView.last_event_per_type.message?.event).toMatchObject({
      id: 'THREAD0002_1',
      deleted: true,
    });
    expect(agentView.last_event_per_type.message?.event).not.toHaveProperty('text');
  });
});
