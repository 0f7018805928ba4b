import { describe, expect, it } from 'vitest';
import { fold } from '../chat.evolve.ts';
import type { ChatDomainEvent } from '../chat.types.ts';
import { eventsOf } from '../testing/decider-spec.ts';
import {
  aCustomer,
  aMessage,
  anAgent,
  assignAgent,
  deactivateChat,
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
});
