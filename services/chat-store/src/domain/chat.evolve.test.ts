import { describe, expect, it } from 'vitest';
import { fold } from './chat.evolve.ts';
import { responseFor } from './chat.responses.ts';
import { eventsOf } from './testing/decider-spec.ts';
import {
  aCommand,
  aCustomer,
  aMessage,
  anAgent,
  assignAgent,
  deactivateChat,
  resumeChat,
  sendEvent,
  startChat,
} from './testing/factories.ts';

const customer = aCustomer();
const agent = anAgent();

describe('chat evolve', () => {
  it('folds a chat through start, assignment, events and closing', () => {
    const started = eventsOf(fold([]), startChat(customer));
    const assigned = eventsOf(fold(started), assignAgent(agent));
    const sent = eventsOf(fold([...started, ...assigned]), sendEvent(agent, aMessage('hello')));
    const state = fold([...started, ...assigned, ...sent]);

    expect(state).toMatchObject({
      status: 'existing',
      id: 'CHAT000001',
      threadCount: 1,
      users: [
        { id: customer.id, present: true },
        { id: agent.id, present: true },
      ],
      lastThread: { id: 'THREAD0001', active: true, userIds: [customer.id, agent.id] },
    });
    expect(
      state.status === 'existing' && state.lastThread?.events.map((event) => event.id),
    ).toEqual(['THREAD0001_1', 'THREAD0001_2']);
  });

  it('takes agents out of the present users when the thread closes, and keeps the customer', () => {
    const started = eventsOf(fold([]), startChat(customer));
    const assigned = eventsOf(fold(started), assignAgent(agent));
    const closed = eventsOf(fold([...started, ...assigned]), deactivateChat(customer));
    const state = fold([...started, ...assigned, ...closed]);

    expect(state).toMatchObject({
      lastThread: { active: false },
      users: [
        { id: customer.id, present: true },
        { id: agent.id, present: false },
      ],
    });
  });

  it('keeps earlier threads whole behind the last one, and drops followers on reactivation', () => {
    const started = eventsOf(
      fold([]),
      startChat(customer, { chat: { thread: { events: [aMessage()] } } }),
    );
    const followed = eventsOf(fold(started), aCommand('follow_chat', agent, { id: 'CHAT000001' }));
    const closed = eventsOf(fold([...started, ...followed]), deactivateChat(customer));
    const beforeResume = fold([...started, ...followed, ...closed]);
    expect(beforeResume).toMatchObject({ followerIds: [agent.id] });
    const resumed = eventsOf(beforeResume, resumeChat(customer));
    const state = fold([...started, ...followed, ...closed, ...resumed]);

    expect(state).toMatchObject({
      threadCount: 2,
      followerIds: [],
      lastThread: { id: 'THREAD0002', active: true, previousThreadId: 'THREAD0001', events: [] },
      earlierThreads: [{ id: 'THREAD0001', active: false, events: [{}, {}] }],
    });
  });

  it('applies changes to events of earlier threads', () => {
    const started = eventsOf(
      fold([]),
      startChat(customer, { chat: { thread: { events: [aMessage()] } } }),
    );
    const closed = eventsOf(fold(started), deactivateChat(customer));
    const resumed = eventsOf(fold([...started, ...closed]), resumeChat(customer));
    const history = [...started, ...closed, ...resumed];
    const changed = eventsOf(
      fold(history),
      aCommand('update_event_properties', agent, {
        chat_id: 'CHAT000001',
        thread_id: 'THREAD0001',
        event_id: 'THREAD0001_1',
        properties: { flags: { starred: true } },
      }),
    );
    const state = fold([...history, ...changed]);
    expect(state.status === 'existing' && state.earlierThreads[0]?.events[0]?.properties).toEqual({
      flags: { starred: true },
    });
  });
});

describe('chat responses', () => {
  it('answers start_chat with chat_id, thread_id and only the requested event ids', () => {
    const events = eventsOf(
      fold([]),
      startChat(customer, { chat: { thread: { events: [aMessage()] } } }),
    );
    expect(responseFor('start_chat', events)).toEqual({
      chat_id: 'CHAT000001',
      thread_id: 'THREAD0001',
      event_ids: ['THREAD0001_1'],
    });
    expect(responseFor('start_chat', eventsOf(fold([]), startChat(customer)))).toEqual({
      chat_id: 'CHAT000001',
      thread_id: 'THREAD0001',
    });
  });

  it('answers send_event with the event id and deactivate_chat with an empty object', () => {
    const started = eventsOf(fold([]), startChat(customer));
    expect(responseFor('send_event', eventsOf(fold(started), sendEvent(customer)))).toEqual({
      event_id: 'THREAD0001_1',
    });
    expect(
      responseFor('deactivate_chat', eventsOf(fold(started), deactivateChat(customer))),
    ).toEqual({});
  });
});
