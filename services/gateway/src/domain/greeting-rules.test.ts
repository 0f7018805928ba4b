import type { GreetingRules } from '@threadline/protocol';
import { describe, expect, it } from 'vitest';
import {
  chooseGreeting,
  type GreetingCandidate,
  incomingGreeting,
  nextGreetingMoment,
  pendingGreeting,
  type VisitFacts,
  whenRulesHold,
} from './greeting-rules.ts';

const now = new Date('2026-11-25T12:00:00.000Z');
const secondsAgo = (seconds: number) => new Date(now.getTime() - seconds * 1000);
const secondsLater = (seconds: number) => new Date(now.getTime() + seconds * 1000);

function facts(overrides: Partial<VisitFacts> = {}): VisitFacts {
  return {
    now,
    page: {
      url: 'https://shop.test/Pricing?x=1',
      title: 'Pricing plans',
      openedAt: secondsAgo(10),
    },
    visitStartedAt: secondsAgo(120),
    visitsCount: 2,
    ...overrides,
  };
}

const all = (...conditions: GreetingRules['conditions']): GreetingRules => ({
  match: 'all',
  conditions,
});
const any = (...conditions: GreetingRules['conditions']): GreetingRules => ({
  match: 'any',
  conditions,
});

function aGreeting(overrides: Partial<GreetingCandidate> = {}): GreetingCandidate {
  return { id: 1, groupId: 0, active: true, rules: all(), ...overrides };
}

describe('whenRulesHold', () => {
  it('holds now without conditions, for either match', () => {
    expect(whenRulesHold(all(), facts())).toEqual(now);
    expect(whenRulesHold(any(), facts())).toEqual(now);
  });

  it('compares the page url and title ignoring case, with each operator', () => {
    const url = (
      operator: 'equals' | 'not_equals' | 'contains' | 'not_contains' | 'starts_with' | 'ends_with',
      value: string,
    ) => whenRulesHold(all({ type: 'url', operator, value }), facts());
    expect(url('contains', '/pricing')).toEqual(now);
    expect(url('starts_with', 'HTTPS://SHOP.TEST')).toEqual(now);
    expect(url('ends_with', 'x=1')).toEqual(now);
    expect(url('equals', 'https://shop.test/pricing?x=1')).toEqual(now);
    expect(url('equals', 'https://shop.test/pricing')).toBeUndefined();
    expect(url('not_contains', 'pricing')).toBeUndefined();
    expect(url('not_contains', 'checkout')).toEqual(now);
    expect(url('not_equals', 'https://shop.test/')).toEqual(now);
    expect(url('not_equals', 'https://SHOP.test/pricing?x=1')).toBeUndefined();
    expect(
      whenRulesHold(all({ type: 'page_title', operator: 'contains', value: 'plans' }), facts()),
    ).toEqual(now);
  });

  it('never holds a url rule without a page', () => {
    expect(
      whenRulesHold(
        all({ type: 'url', operator: 'contains', value: 'shop' }),
        facts({ page: undefined }),
      ),
    ).toBeUndefined();
  });

  it('tells when time on the page and on the site will be enough', () => {
    expect(whenRulesHold(all({ type: 'time_on_page', seconds: 5 }), facts())).toEqual(now);
    expect(whenRulesHold(all({ type: 'time_on_page', seconds: 30 }), facts())).toEqual(
      secondsLater(20),
    );
    expect(whenRulesHold(all({ type: 'time_on_site', seconds: 300 }), facts())).toEqual(
      secondsLater(180),
    );
    expect(
      whenRulesHold(
        all({ type: 'time_on_page', seconds: 30 }, { type: 'time_on_site', seconds: 300 }),
        facts(),
      ),
    ).toEqual(secondsLater(180));
  });

  it('all: a failing page condition means never on this page, whatever the time', () => {
    expect(
      whenRulesHold(
        all(
          { type: 'time_on_page', seconds: 30 },
          { type: 'url', operator: 'contains', value: 'cart' },
        ),
        facts(),
      ),
    ).toBeUndefined();
  });

  it('any: the first condition to hold decides', () => {
    expect(
      whenRulesHold(
        any(
          { type: 'time_on_page', seconds: 30 },
          { type: 'url', operator: 'contains', value: 'cart' },
        ),
        facts(),
      ),
    ).toEqual(secondsLater(20));
    expect(
      whenRulesHold(
        any(
          { type: 'time_on_page', seconds: 30 },
          { type: 'url', operator: 'contains', value: 'shop' },
        ),
        facts(),
      ),
    ).toEqual(now);
    expect(
      whenRulesHold(any({ type: 'url', operator: 'contains', value: 'cart' }), facts()),
    ).toBeUndefined();
  });

  it('counts visits between min and max', () => {
    const visits = (min?: number, max?: number) =>
      whenRulesHold(
        all({
          type: 'visits_count',
          ...(min !== undefined ? { min } : {}),
          ...(max !== undefined ? { max } : {}),
        }),
        facts(),
      );
    expect(visits(2)).toEqual(now);
    expect(visits(3)).toBeUndefined();
    expect(visits(undefined, 1)).toBeUndefined();
    expect(visits(1, 2)).toEqual(now);
  });
});

describe('chooseGreeting', () => {
  const customer = (overrides: Partial<Parameters<typeof chooseGreeting>[1]> = {}) => ({
    groupId: 0,
    hasActiveChat: false,
    thisVisit: [],
    facts: facts(),
    ...overrides,
  });

  it('picks the oldest active greeting of the customer group whose rules hold now', () => {
    const greetings = [
      aGreeting({ id: 4 }),
      aGreeting({ id: 2, rules: all({ type: 'url', operator: 'contains', value: 'cart' }) }),
      aGreeting({ id: 3, groupId: 1 }),
      aGreeting({ id: 1, active: false }),
      aGreeting({ id: 5 }),
    ];
    expect(chooseGreeting(greetings, customer())?.id).toBe(4);
    expect(chooseGreeting(greetings, customer({ groupId: 1 }))?.id).toBe(3);
  });

  it('shows nothing while the customer chats', () => {
    expect(chooseGreeting([aGreeting()], customer({ hasActiveChat: true }))).toBeUndefined();
  });

  it('shows a greeting once per visit, and nothing while one is still displayed', () => {
    const greetings = [aGreeting({ id: 1 }), aGreeting({ id: 2 })];
    expect(
      chooseGreeting(greetings, customer({ thisVisit: [{ greetingId: 1, state: 'accepted' }] })),
    ).toBeUndefined();
    expect(
      chooseGreeting(greetings, customer({ thisVisit: [{ greetingId: 1, state: 'canceled' }] }))
        ?.id,
    ).toBe(2);
    expect(
      chooseGreeting(
        greetings,
        customer({
          thisVisit: [
            { greetingId: 1, state: 'canceled' },
            { greetingId: 2, state: 'canceled' },
          ],
        }),
      ),
    ).toBeUndefined();
  });

  it('waits for greetings whose time has not come', () => {
    const later = aGreeting({ rules: all({ type: 'time_on_page', seconds: 60 }) });
    expect(chooseGreeting([later], customer())).toBeUndefined();
    expect(nextGreetingMoment([later], customer())).toEqual(secondsLater(50));
    expect(
      nextGreetingMoment([later], customer({ thisVisit: [{ greetingId: 1, state: 'canceled' }] })),
    ).toBeUndefined();
    expect(nextGreetingMoment([aGreeting()], customer())).toBeUndefined();
  });

  it('shows a greeting only inside its active window, and waits for the window to open', () => {
    const opensLater = aGreeting({ id: 1, activeFrom: secondsLater(30) });
    const closed = aGreeting({ id: 2, activeUntil: now });
    const open = aGreeting({ id: 3, activeFrom: secondsAgo(1), activeUntil: secondsLater(1) });
    expect(chooseGreeting([opensLater, closed], customer())).toBeUndefined();
    expect(chooseGreeting([opensLater, closed, open], customer())?.id).toBe(3);
    expect(nextGreetingMoment([opensLater, closed], customer())).toEqual(secondsLater(30));
    // Its rules would hold only after the window has closed: never.
    const tooLate = aGreeting({
      activeUntil: secondsLater(20),
      rules: all({ type: 'time_on_page', seconds: 60 }),
    });
    expect(nextGreetingMoment([tooLate], customer())).toBeUndefined();
  });
});

describe('incoming_greeting', () => {
  const agent = { id: 'a@x.test', name: 'Ann', avatar: '', job_title: 'Support', is_bot: false };

  it('carries the greeting, the display and the agent as the event author', () => {
    const payload = incomingGreeting(
      {
        id: 7,
        subtype: 'greeting',
        addon: undefined,
        isExitIntent: false,
        event: { type: 'message', text: 'Hi there' },
      },
      { uniqueId: 'u-1', displayedFirstTime: true, agent, now },
    );
    expect(payload).toEqual({
      id: 7,
      unique_id: 'u-1',
      displayed_first_time: true,
      subtype: 'greeting',
      is_exit_intent: false,
      event: {
        id: 'u-1_1',
        type: 'message',
        text: 'Hi there',
        created_at: '2026-11-25T12:00:00.000000Z',
        author_id: 'a@x.test',
        visibility: 'all',
      },
      agent,
    });
  });

  it('is pending at login while shown and not canceled, with accepted', () => {
    const shown = { greetingId: 7, payload: { id: 7, unique_id: 'u-1' } };
    expect(pendingGreeting([{ ...shown, state: 'accepted' }], false)).toEqual({
      id: 7,
      unique_id: 'u-1',
      accepted: true,
    });
    expect(pendingGreeting([{ ...shown, state: 'displayed' }], false)).toMatchObject({
      accepted: false,
    });
    expect(pendingGreeting([{ ...shown, state: 'canceled' }], false)).toBeUndefined();
    expect(pendingGreeting([{ ...shown, state: 'displayed' }], true)).toBeUndefined();
  });
});
