import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultRoutingSettings } from './routing-settings.ts';
import {
  type ActivityEvent,
  agentAssigned,
  agentsGone,
  evolveActivity,
  firedTimer,
  lastEventAt,
  quietSince,
  startActivity,
  type ThreadActivity,
  threadStarted,
  timerDueTimes,
} from './thread-timers.ts';

const minute = 60_000;
const start = 1_000_000;
const settings = {
  chatInactiveAfterMin: 30,
  transferChatAfterMin: 2,
  customerTimeoutMin: 15,
};

function replay(events: readonly ActivityEvent[], from: ThreadActivity = startActivity(start)) {
  return events.reduce(evolveActivity, from);
}

describe('thread timers', () => {
  it('closes a thread nobody wrote in for chat_inactive_after_min, counted from the last event', () => {
    const activity = replay([
      { author: 'customer', at: start + minute },
      { author: 'agent', at: start + 5 * minute },
    ]);
    const due = timerDueTimes(activity, { ...settings, customerTimeoutMin: 0 });
    expect(due.inactiveAt).toBe(start + 35 * minute);
    expect(firedTimer(due, start + 35 * minute - 1)).toBeUndefined();
    expect(firedTimer(due, start + 35 * minute)).toBe('inactive');
    expect(quietSince(activity, 'inactive')).toBe(start + 5 * minute);
  });

  it('takes the thread’s own start over the first news of it, events untouched', () => {
    // An agent's event reached the router first; the start arrives later and corrects it.
    const early = evolveActivity(startActivity(start + 5 * minute), {
      author: 'agent',
      at: start + 5 * minute,
    });
    const started = threadStarted(early, start);
    expect(started.startedAt).toBe(start);
    expect(lastEventAt(started)).toBe(start + 5 * minute);
    // An assignment seen before any event moves no event time.
    const joinedFirst = threadStarted(
      agentAssigned(startActivity(start + 9 * minute), start + 9 * minute),
      start,
    );
    expect(lastEventAt(joinedFirst)).toBe(start);
  });

  it('counts an idle thread without any message from its start, with the default 30 minutes', () => {
    const due = timerDueTimes(startActivity(start), defaultRoutingSettings);
    expect(due).toEqual({
      inactiveAt: start + 30 * minute,
      unansweredAt: undefined,
      customerTimeoutAt: undefined,
    });
  });

  it('owes an answer from the customer message or the assignment, whichever is later', () => {
    const waiting = replay([{ author: 'customer', at: start + minute }]);
    expect(timerDueTimes(waiting, settings).unansweredAt).toBeUndefined(); // nobody carries it
    const assigned = agentAssigned(waiting, start + 3 * minute);
    expect(timerDueTimes(assigned, settings).unansweredAt).toBe(start + 5 * minute);
    const answered = evolveActivity(assigned, { author: 'agent', at: start + 4 * minute });
    expect(timerDueTimes(answered, settings).unansweredAt).toBeUndefined();
    const again = evolveActivity(answered, { author: 'customer', at: start + 6 * minute });
    expect(timerDueTimes(again, settings).unansweredAt).toBe(start + 8 * minute);
    expect(quietSince(again, 'unanswered')).toBe(start + 6 * minute);
    expect(timerDueTimes(agentsGone(again), settings).unansweredAt).toBeUndefined();
  });

  it('times the customer out from their last message even while agents keep writing', () => {
    const activity = replay([
      { author: 'customer', at: start + minute },
      { author: 'agent', at: start + 10 * minute },
      { author: 'agent', at: start + 20 * minute },
    ]);
    const due = timerDueTimes(activity, settings);
    expect(due.customerTimeoutAt).toBe(start + 16 * minute);
    expect(firedTimer(due, start + 16 * minute)).toBe('customer_timeout');
    expect(quietSince(activity, 'customer_timeout')).toBe(start + minute);
  });

  it('prefers closing over handing on when both are due, and turns off timers set to 0 or none', () => {
    const activity = agentAssigned(replay([{ author: 'customer', at: start }]), start);
    const due = timerDueTimes(activity, { ...settings, chatInactiveAfterMin: 2 });
    expect(firedTimer(due, start + 2 * minute)).toBe('inactive');
    const off = timerDueTimes(activity, {
      chatInactiveAfterMin: 0,
      transferChatAfterMin: 0,
      customerTimeoutMin: 0,
    });
    expect(off).toEqual({
      inactiveAt: undefined,
      unansweredAt: undefined,
      customerTimeoutAt: undefined,
    });
  });

  const events = fc.array(
    fc.record({
      author: fc.constantFrom<'customer' | 'agent'>('customer', 'agent'),
      at: fc.integer({ min: start, max: start + 120 * minute }),
    }),
    { maxLength: 20 },
  );

  it('reaches the same last-event times in any order of arrival', () => {
    fc.assert(
      fc.property(events, fc.func(fc.integer()), (list, key) => {
        const shuffled = [...list].sort((a, b) => key(a) - key(b));
        const inOrder = replay(list);
        const outOfOrder = replay(shuffled);
        expect(lastEventAt(outOfOrder)).toBe(lastEventAt(inOrder));
        expect(outOfOrder.customerLastEventAt).toBe(inOrder.customerLastEventAt);
        expect(outOfOrder.agentLastEventAt).toBe(inOrder.agentLastEventAt);
        // Unanswered or not is order-independent; only which message stands for it may differ.
        expect(outOfOrder.awaitingReplySince === undefined).toBe(
          inOrder.awaitingReplySince === undefined,
        );
      }),
    );
  });

  it('in time order, owes an answer exactly to the first customer message after the last agent one', () => {
    fc.assert(
      fc.property(events, (list) => {
        const sorted = [...list].sort((a, b) => a.at - b.at);
        const lastAgent = sorted.filter((e) => e.author === 'agent').at(-1)?.at;
        const owed = sorted.find(
          (e) => e.author === 'customer' && (lastAgent === undefined || e.at > lastAgent),
        );
        expect(replay(sorted).awaitingReplySince).toBe(owed?.at);
      }),
    );
  });
});
