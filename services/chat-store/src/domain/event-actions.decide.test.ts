import { describe, expect, it } from 'vitest';
import { fold } from './chat.evolve.ts';
import { eventsOf, given } from './testing/decider-spec.ts';
import { aCommand, aRichMessage, deactivateChat, later, sendEvent } from './testing/factories.ts';
import { anAssignedChat } from './testing/histories.ts';

const { customer, agent, started, assigned } = anAssignedChat({ text: 'hi' });
const card = eventsOf(
  fold([...started, ...assigned]),
  sendEvent(agent, aRichMessage(['yes', 'no'])),
);
const history = [started, assigned, card];

describe('chat decide: mark_events_as_seen', () => {
  const markSeen = (actor = agent, seen_up_to = later) =>
    aCommand('mark_events_as_seen', actor, { chat_id: 'CHAT000001', seen_up_to });

  it("moves the requester's seen time forward, in the protocol's UTC form", () => {
    given(started, assigned)
      .when(markSeen(agent, '2025-11-25T12:04:00.123456+02:00'))
      .thenDecides((events) =>
        expect(events).toEqual([
          expect.objectContaining({
            type: 'events_seen',
            data: { user_id: agent.id, seen_up_to: '2025-11-25T10:04:00.123456Z' },
          }),
        ]),
      );
  });

  it('never moves it back, and never past the time of the command', () => {
    // The customer saw everything when starting the chat, at `at`.
    given(started)
      .when(markSeen(customer, '2025-11-25T09:00:00Z'))
      .thenDecides((events) => expect(events).toEqual([]));
    given(started)
      .when(markSeen(customer, '2030-01-01T00:00:00Z'))
      .thenDecides((events) => expect(events[0]).toMatchObject({ data: { seen_up_to: later } }));
  });

  it('is for users of the chat', () => {
    given(started).when(markSeen(agent)).thenFails('missing_access');
  });
});

describe('chat decide: send_rich_message_postback', () => {
  const postback = (actor = customer, extra: Record<string, unknown> = {}) =>
    aCommand('send_rich_message_postback', actor, {
      chat_id: 'CHAT000001',
      thread_id: 'THREAD0001',
      event_id: 'THREAD0001_3',
      postback: { id: 'yes', toggled: true },
      ...extra,
    });

  it('stores the click with its user and postback', () => {
    given(...history)
      .when(postback(customer, { postback: { id: 'yes', toggled: true, button_type: 'message' } }))
      .thenDecides((events) =>
        expect(events).toEqual([
          expect.objectContaining({
            type: 'postback_sent',
            data: {
              thread_id: 'THREAD0001',
              event_id: 'THREAD0001_3',
              user_id: customer.id,
              postback: { id: 'yes', toggled: true, button_type: 'message' },
            },
          }),
        ]),
      );
  });

  it('toggles the user in and out of the button', () => {
    const on = eventsOf(fold(history.flat()), postback());
    const card = (events: typeof on) => {
      const state = fold(events);
      const event = state.status === 'existing' ? state.lastThread?.events[2] : undefined;
      const elements = (event?.elements ?? []) as { buttons: { user_ids: string[] }[] }[];
      return elements[0]?.buttons;
    };
    expect(card([...history.flat(), ...on])).toEqual([
      expect.objectContaining({ postback_id: 'yes', user_ids: [customer.id] }),
      expect.objectContaining({ postback_id: 'no', user_ids: [] }),
    ]);
    const off = eventsOf(
      fold([...history.flat(), ...on]),
      postback(customer, { postback: { id: 'yes', toggled: false } }),
    );
    expect(card([...history.flat(), ...on, ...off])?.[0]?.user_ids).toEqual([]);
  });

  it('refuses other events and unknown postback ids', () => {
    given(...history)
      .when(postback(customer, { event_id: 'THREAD0001_1' }))
      .thenFails('validation', /not a rich message/);
    given(...history)
      .when(postback(customer, { postback: { id: 'maybe', toggled: true } }))
      .thenFails('validation', /postback id maybe/);
    given(...history)
      .when(postback(customer, { thread_id: 'OTHER' }))
      .thenFails('not_found');
  });

  it('is kept on an inactive thread too', () => {
    const closed = eventsOf(fold(history.flat()), deactivateChat(agent));
    given(...history, closed)
      .when(postback())
      .thenDecides((events) => expect(events[0]?.type).toBe('postback_sent'));
  });
});

describe('chat decide: delete_event', () => {
  const deleteEvent = (actor = customer, event_id = 'THREAD0001_1') =>
    aCommand('delete_event', actor, { chat_id: 'CHAT000001', thread_id: 'THREAD0001', event_id });

  it("deletes the customer's own event", () => {
    given(...history)
      .when(deleteEvent())
      .thenDecides((events) =>
        expect(events).toEqual([
          expect.objectContaining({
            type: 'event_deleted',
            data: { thread_id: 'THREAD0001', event_id: 'THREAD0001_1' },
          }),
        ]),
      );
  });

  it("refuses someone else's event, a deleted one, and agents", () => {
    given(...history)
      .when(deleteEvent(customer, 'THREAD0001_3'))
      .thenFails('not_allowed');
    const deleted = eventsOf(fold(history.flat()), deleteEvent());
    given(...history, deleted)
      .when(deleteEvent())
      .thenFails('not_found');
    given(...history)
      .when(deleteEvent(agent))
      .thenFails('authorization');
  });
});
