import { describe, expect, it } from 'vitest';
import { fold } from './chat.evolve.ts';
import { eventsOf, given } from './testing/decider-spec.ts';
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
const started = eventsOf(
  fold([]),
  startChat(customer, {
    chat: { properties: { rating: { score: 1, comment: 'ok' } }, thread: { events: [aMessage()] } },
  }),
);
const assigned = eventsOf(fold(started), assignAgent(agent));
const note = eventsOf(
  fold([...started, ...assigned]),
  sendEvent(agent, aMessage('note', { visibility: 'agents' })),
);
const history = [started, assigned, note];

describe('chat decide: chat properties', () => {
  it('stores the properties an update sets, without empty namespaces', () => {
    given(...history)
      .when(
        aCommand('update_chat_properties', customer, {
          id: 'CHAT000001',
          properties: { rating: { score: 0 }, empty: {} },
        }),
      )
      .thenDecides((events) =>
        expect(events).toEqual([
          expect.objectContaining({
            type: 'chat_properties_updated',
            data: { properties: { rating: { score: 0 } } },
          }),
        ]),
      );
  });

  it('deletes only names that exist, and nothing at all when none do', () => {
    given(...history)
      .when(
        aCommand('delete_chat_properties', agent, {
          id: 'CHAT000001',
          properties: { rating: ['comment', 'missing'], other: ['x'] },
        }),
      )
      .thenDecides((events) =>
        expect(events[0]).toMatchObject({ data: { properties: { rating: ['comment'] } } }),
      );
    given(...history)
      .when(
        aCommand('delete_chat_properties', agent, { id: 'CHAT000001', properties: { a: ['b'] } }),
      )
      .thenDecides((events) => expect(events).toEqual([]));
  });

  it("hides another customer's chat", () => {
    given(...history)
      .when(
        aCommand('update_chat_properties', aCustomer({ id: 'intruder' }), {
          id: 'CHAT000001',
          properties: { a: { b: 1 } },
        }),
      )
      .thenFails('not_found');
  });
});

describe('chat decide: thread and event properties', () => {
  const closed = eventsOf(fold(history.flat()), deactivateChat(agent));
  const resumed = eventsOf(fold([...history.flat(), ...closed]), resumeChat(customer));

  it('changes an earlier, inactive thread', () => {
    given(...history, closed, resumed)
      .when(
        aCommand('update_thread_properties', agent, {
          chat_id: 'CHAT000001',
          thread_id: 'THREAD0001',
          properties: { rating: { score: 1 } },
        }),
      )
      .thenDecides((events) =>
        expect(events[0]).toMatchObject({
          type: 'thread_properties_updated',
          data: { thread_id: 'THREAD0001', properties: { rating: { score: 1 } } },
        }),
      );
  });

  it('answers not_found for an unknown thread or event', () => {
    given(...history)
      .when(
        aCommand('delete_thread_properties', agent, {
          chat_id: 'CHAT000001',
          thread_id: 'NOPE',
          properties: { a: ['b'] },
        }),
      )
      .thenFails('not_found', /Thread/);
    given(...history)
      .when(
        aCommand('update_event_properties', agent, {
          chat_id: 'CHAT000001',
          thread_id: 'THREAD0001',
          event_id: 'THREAD0001_99',
          properties: { a: { b: true } },
        }),
      )
      .thenFails('not_found', /Event/);
  });

  it('names the event in event property changes; customers cannot reach agents-only events', () => {
    const update = (actor = agent) =>
      aCommand('update_event_properties', actor, {
        chat_id: 'CHAT000001',
        thread_id: 'THREAD0001',
        event_id: 'THREAD0001_3',
        properties: { flags: { pinned: true } },
      });
    given(...history)
      .when(update())
      .thenDecides((events) =>
        expect(events[0]).toMatchObject({
          type: 'event_properties_updated',
          data: { event_id: 'THREAD0001_3', properties: { flags: { pinned: true } } },
        }),
      );
    given(...history)
      .when(update(customer))
      .thenFails('not_found');
  });
});
