import { describe, expect, it } from 'vitest';
import { fold } from './chat.evolve.ts';
import { eventsOf, given } from './testing/decider-spec.ts';
import {
  aCommand,
  aMessage,
  deactivateChat,
  later,
  sendEvent,
  startChat,
} from './testing/factories.ts';
import { anAssignedChat } from './testing/histories.ts';

const { customer, agent, started, assigned } = anAssignedChat({ text: 'My order never arrived.' });
const answered = eventsOf(
  fold([...started, ...assigned]),
  sendEvent(agent, aMessage('I am sorry. I will send a new order today.')),
);
const closed = eventsOf(fold([...started, ...assigned, ...answered]), deactivateChat(agent));
const history = [started, assigned, answered, closed];

const tag = (type: 'tag_thread' | 'untag_thread', name = 'support', actor = agent) =>
  aCommand(type, actor, { chat_id: 'CHAT000001', thread_id: 'THREAD0001', tag: name });
const summary = (actor = agent) =>
  aCommand('request_thread_summary', actor, { chat_id: 'CHAT000001', thread_id: 'THREAD0001' });

describe('chat decide: tag_thread / untag_thread', () => {
  const tagged = eventsOf(fold(history.flat()), tag('tag_thread'));

  it('tags any thread once', () => {
    expect(tagged).toEqual([
      expect.objectContaining({
        type: 'thread_tagged',
        data: { thread_id: 'THREAD0001', tag: 'support' },
      }),
    ]);
    given(...history, tagged)
      .when(tag('tag_thread'))
      .thenDecides((events) => expect(events).toEqual([]));
  });

  it('untags a tag the thread has and refuses one it has not (tags are case-sensitive)', () => {
    given(...history, tagged)
      .when(tag('untag_thread'))
      .thenDecides((events) => expect(events[0]?.type).toBe('thread_untagged'));
    given(...history, tagged)
      .when(tag('untag_thread', 'Support'))
      .thenFails('not_found');
  });

  it('is for agents', () => {
    given(...history)
      .when(tag('tag_thread', 'x', customer))
      .thenFails('authorization');
  });
});

describe('chat decide: request_thread_summary', () => {
  it('sets the summary of an inactive thread, once', () => {
    const set = eventsOf(fold(history.flat()), summary());
    expect(set).toEqual([
      expect.objectContaining({
        type: 'thread_summary_set',
        data: {
          thread_id: 'THREAD0001',
          summary: {
            status: 'ok',
            text: expect.stringContaining('• Customer: My order'),
            updated_at: later,
          },
        },
      }),
    ]);
    given(...history, set)
      .when(summary())
      .thenFails('validation', /once/);
  });

  it('adds a messaging summary system event to an active thread, as often as asked', () => {
    given(started, assigned, answered)
      .when(summary())
      .thenDecides((events) => {
        expect(events[0]).toMatchObject({
          type: 'event_added',
          data: {
            event: {
              id: 'THREAD0001_4',
              type: 'system',
              source: 'messaging',
              subtype: 'summary',
              version: 1,
              visibility: 'agents',
            },
          },
        });
        const added = events[0];
        const details =
          added?.type === 'event_added' ? JSON.parse(String(added.data.event.details)) : undefined;
        expect(details).toMatchObject({ summary: { status: 'ok' }, requested_by: agent.id });
      });
  });

  it('signals incoming_error to the requester when there is nothing to summarize', () => {
    const empty = eventsOf(fold([]), startChat(customer));
    given(empty)
      .when(summary())
      .thenSignals((signals) =>
        expect(signals).toEqual([
          expect.objectContaining({
            action: 'incoming_error',
            payload: {
              action: 'set_thread_summary',
              chat_id: 'CHAT000001',
              thread_id: 'THREAD0001',
            },
            recipientUserIds: [agent.id],
            pushOnly: true,
          }),
        ]),
      );
  });
});
