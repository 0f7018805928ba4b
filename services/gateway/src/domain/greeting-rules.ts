import type { GreetingCondition, GreetingEvent, GreetingRules } from '@threadline/protocol';
import { formatTimestamp } from '@threadline/protocol';

/**
 * Which greeting a customer is shown, and what `incoming_greeting` says (spec §4.2): pure, from
 * the greetings of the organization and what the gateway knows of the customer's visit.
 */

/** Where the customer is: their page, the visit's start and how many visits they have made. */
export interface VisitFacts {
  now: Date;
  page: { url: string; title?: string | undefined; openedAt: Date } | undefined;
  visitStartedAt: Date;
  /** This visit's number: 1 on the first visit. */
  visitsCount: number;
}

/** A greeting as the rules see it. */
export interface GreetingCandidate {
  id: number;
  groupId: number;
  active: boolean;
  rules: GreetingRules;
  /** When it may first and last be shown (`active_from`, `active_until`). */
  activeFrom?: Date | undefined;
  activeUntil?: Date | undefined;
}

/** Whether a greeting may be shown at `now`: active, and inside its active window. */
export function isLive(greeting: GreetingCandidate, now: Date): boolean {
  return (
    greeting.active &&
    (greeting.activeFrom === undefined || greeting.activeFrom <= now) &&
    (greeting.activeUntil === undefined || now < greeting.activeUntil)
  );
}

/** A display of this visit, as far as choosing the next greeting cares. */
export interface VisitDisplay {
  greetingId: number;
  state: 'displayed' | 'accepted' | 'canceled';
}

/**
 * When the rules hold for this page: `now` if they hold already, the moment the time conditions
 * will make them hold if only time is missing, `undefined` if they cannot hold on this page.
 */
export function whenRulesHold(rules: GreetingRules, facts: VisitFacts): Date | undefined {
  const moments = rules.conditions.map((condition) => whenConditionHolds(condition, facts));
  const known = moments.filter((moment): moment is Date => moment !== undefined);
  if (rules.match === 'any') {
    if (rules.conditions.length === 0) return facts.now;
    return known.length === 0 ? undefined : latest(facts.now, earliest(known));
  }
  return known.length < moments.length ? undefined : latest(facts.now, ...known);
}

/**
 * The greeting to show now, if any: none while the customer chats or still has this visit's
 * greeting in front of them; never one they were shown this visit; the oldest that matches.
 */
export function chooseGreeting<Greeting extends GreetingCandidate>(
  greetings: readonly Greeting[],
  customer: {
    groupId: number;
    hasActiveChat: boolean;
    thisVisit: readonly VisitDisplay[];
    facts: VisitFacts;
  },
): Greeting | undefined {
  if (customer.hasActiveChat) return undefined;
  if (customer.thisVisit.some((display) => display.state !== 'canceled')) return undefined;
  const shown = new Set(customer.thisVisit.map((display) => display.greetingId));
  return [...greetings]
    .sort((a, b) => a.id - b.id)
    .find(
      (greeting) =>
        isLive(greeting, customer.facts.now) &&
        greeting.groupId === customer.groupId &&
        !shown.has(greeting.id) &&
        whenRulesHold(greeting.rules, customer.facts)?.getTime() === customer.facts.now.getTime(),
    );
}

/**
 * The earliest moment one of these greetings could be shown on this page, if it is later: when
 * its rules will hold and its active window has begun, before the window ends.
 */
export function nextGreetingMoment(
  greetings: readonly GreetingCandidate[],
  customer: { groupId: number; thisVisit: readonly VisitDisplay[]; facts: VisitFacts },
): Date | undefined {
  const shown = new Set(customer.thisVisit.map((display) => display.greetingId));
  const moments = greetings
    .filter((greeting) => greeting.active && greeting.groupId === customer.groupId)
    .filter((greeting) => !shown.has(greeting.id))
    .map((greeting) => {
      const moment = whenRulesHold(greeting.rules, customer.facts);
      if (!moment) return undefined;
      const due = greeting.activeFrom ? latest(moment, greeting.activeFrom) : moment;
      return greeting.activeUntil && due >= greeting.activeUntil ? undefined : due;
    })
    .filter((moment): moment is Date => moment !== undefined && moment > customer.facts.now);
  return moments.length === 0 ? undefined : earliest(moments);
}

export interface GreetingAgent {
  id: string;
  name: string;
  avatar: string;
  job_title: string;
  is_bot: boolean;
}

/** The `incoming_greeting` payload (spec §4.2); the event is authored by the greeting's agent. */
export function incomingGreeting(
  greeting: {
    id: number;
    subtype: 'greeting' | 'announcement';
    addon: string | undefined;
    isExitIntent: boolean;
    event: GreetingEvent;
  },
  display: { uniqueId: string; displayedFirstTime: boolean; agent: GreetingAgent; now: Date },
): Record<string, unknown> {
  return {
    id: greeting.id,
    unique_id: display.uniqueId,
    displayed_first_time: display.displayedFirstTime,
    ...(greeting.addon !== undefined ? { addon: greeting.addon } : {}),
    subtype: greeting.subtype,
    is_exit_intent: greeting.isExitIntent,
    event: {
      ...greeting.event,
      id: `${display.uniqueId}_1`,
      created_at: formatTimestamp(display.now),
      author_id: display.agent.id,
      visibility: 'all',
    },
    agent: display.agent,
  };
}

/**
 * The login response's `greeting`: this visit's greeting still in front of the customer (shown,
 * not canceled), with `accepted`, unless they are chatting now.
 */
export function pendingGreeting(
  thisVisit: readonly (VisitDisplay & { payload: Record<string, unknown> })[],
  hasActiveChat: boolean,
): Record<string, unknown> | undefined {
  if (hasActiveChat) return undefined;
  const display = thisVisit.find((candidate) => candidate.state !== 'canceled');
  return display && { ...display.payload, accepted: display.state === 'accepted' };
}

function whenConditionHolds(condition: GreetingCondition, facts: VisitFacts): Date | undefined {
  switch (condition.type) {
    case 'url':
    case 'page_title': {
      const text = condition.type === 'url' ? facts.page?.url : facts.page?.title;
      return compareText(condition.operator, text ?? '', condition.value) ? facts.now : undefined;
    }
    case 'time_on_page':
      return facts.page && after(facts.page.openedAt, condition.seconds);
    case 'time_on_site':
      return after(facts.visitStartedAt, condition.seconds);
    case 'visits_count': {
      const { min = 1, max = Number.POSITIVE_INFINITY } = condition;
      return facts.visitsCount >= min && facts.visitsCount <= max ? facts.now : undefined;
    }
    default: {
      const unknown: never = condition;
      throw new Error(`Unknown greeting condition ${JSON.stringify(unknown)}`);
    }
  }
}

function compareText(
  operator: Extract<GreetingCondition, { operator: unknown }>['operator'],
  actual: string,
  expected: string,
): boolean {
  const text = actual.toLowerCase();
  const value = expected.toLowerCase();
  switch (operator) {
    case 'equals':
      return text === value;
    case 'not_equals':
      return text !== value;
    case 'contains':
      return text.includes(value);
    case 'not_contains':
      return !text.includes(value);
    case 'starts_with':
      return text.startsWith(value);
    case 'ends_with':
      return text.endsWith(value);
    default: {
      const unknown: never = operator;
      throw new Error(`Unknown text operator ${String(unknown)}`);
    }
  }
}

function after(moment: Date, seconds: number): Date {
  return new Date(moment.getTime() + seconds * 1000);
}

function latest(...moments: Date[]): Date {
  return new Date(Math.max(...moments.map((moment) => moment.getTime())));
}

function earliest(moments: Date[]): Date {
  return new Date(Math.min(...moments.map((moment) => moment.getTime())));
}
