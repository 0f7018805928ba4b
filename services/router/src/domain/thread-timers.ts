import type { RoutingSettings } from './routing-settings.ts';

/**
 * The router's timers on an active thread (spec §7.2), as pure functions of what the router saw
 * of the thread and the settings of its group. Times are epoch milliseconds.
 *
 * - Inactivity (`chat_inactive_after_min`): nobody (customer or agent) wrote for that long; the
 *   thread closes with `routing.idle` then `routing.archived_inactive`. Queued threads too: a
 *   customer silent in the queue that long has usually left, and the queue must not fill with
 *   abandoned chats.
 * - Unanswered (`transfer_chat_after_min`): the customer wrote and the agent carrying the chat did
 *   not answer for that long since, counted from when the agent got the chat if later; the chat
 *   goes to another agent (`routing.assigned_inactive`).
 * - Customer timeout (`customer_timeout_after_min`): the customer wrote nothing for that long
 *   (since their last message, or the thread's start) even though agents or bots kept writing;
 *   the thread closes with `archived_customer_disconnected`.
 *
 * Notifications may reach the router out of order (two replicas share its consumer), so every
 * fact only moves forward: the latest time wins whatever order it came in.
 */
export interface ThreadActivity {
  /**
   * When the thread started: from its `incoming_chat`; until that arrives, the time of the first
   * news of the thread (a notification may overtake it), which the start then corrects.
   */
  startedAt: number;
  customerLastEventAt: number | undefined;
  agentLastEventAt: number | undefined;
  /** The customer's first message after the agents last wrote; undefined when answered. */
  awaitingReplySince: number | undefined;
  /** When the agent now carrying the thread got it; undefined while nobody carries it. */
  assignedAt: number | undefined;
}

export type ActivityEvent = { author: 'customer' | 'agent'; at: number };

export type TimerSettings = Pick<
  RoutingSettings,
  'chatInactiveAfterMin' | 'transferChatAfterMin' | 'customerTimeoutMin'
>;

export interface TimerDueTimes {
  inactiveAt: number | undefined;
  unansweredAt: number | undefined;
  customerTimeoutAt: number | undefined;
}

export type FiredTimer = 'inactive' | 'customer_timeout' | 'unanswered';

const minute = 60_000;

export function startActivity(startedAt: number): ThreadActivity {
  return {
    startedAt,
    customerLastEventAt: undefined,
    agentLastEventAt: undefined,
    awaitingReplySince: undefined,
    assignedAt: undefined,
  };
}

/** The latest event by a user (not a system message); the start when there is none. */
export function lastEventAt(activity: ThreadActivity): number {
  return Math.max(
    activity.startedAt,
    activity.customerLastEventAt ?? Number.NEGATIVE_INFINITY,
    activity.agentLastEventAt ?? Number.NEGATIVE_INFINITY,
  );
}

/** The thread's own start, whatever news of it came first. */
export function threadStarted(activity: ThreadActivity, at: number): ThreadActivity {
  return { ...activity, startedAt: at };
}

export function evolveActivity(activity: ThreadActivity, event: ActivityEvent): ThreadActivity {
  if (event.author === 'customer') {
    const answeredAfter = activity.agentLastEventAt;
    const unanswered = answeredAfter === undefined || event.at > answeredAfter;
    return {
      ...activity,
      customerLastEventAt: latest(activity.customerLastEventAt, event.at),
      awaitingReplySince: unanswered
        ? earliest(activity.awaitingReplySince, event.at)
        : activity.awaitingReplySince,
    };
  }
  const agentLastEventAt = latest(activity.agentLastEventAt, event.at);
  const waiting = activity.awaitingReplySince;
  const customerLast = activity.customerLastEventAt;
  // An answer settles what the customer wrote before it; a message after it still waits (the
  // earliest such message is not kept, its latest stands for it).
  const awaitingReplySince =
    waiting === undefined || waiting > agentLastEventAt
      ? waiting
      : customerLast !== undefined && customerLast > agentLastEventAt
        ? customerLast
        : undefined;
  return { ...activity, agentLastEventAt, awaitingReplySince };
}

/** An agent now carries the thread (routed, joined, transferred in): their answer time starts. */
export function agentAssigned(activity: ThreadActivity, at: number): ThreadActivity {
  return { ...activity, assignedAt: latest(activity.assignedAt, at) };
}

/** Nobody carries the thread any more (back in the queue): no answer is owed. */
export function agentsGone(activity: ThreadActivity): ThreadActivity {
  return { ...activity, assignedAt: undefined };
}

export function timerDueTimes(activity: ThreadActivity, settings: TimerSettings): TimerDueTimes {
  const after = (from: number | undefined, minutes: number) =>
    from === undefined || minutes <= 0 ? undefined : from + minutes * minute;
  const { awaitingReplySince, assignedAt } = activity;
  const owedSince =
    awaitingReplySince === undefined || assignedAt === undefined
      ? undefined
      : Math.max(awaitingReplySince, assignedAt);
  return {
    inactiveAt: after(lastEventAt(activity), settings.chatInactiveAfterMin),
    unansweredAt: after(owedSince, settings.transferChatAfterMin),
    customerTimeoutAt: after(
      activity.customerLastEventAt ?? activity.startedAt,
      settings.customerTimeoutMin,
    ),
  };
}

/**
 * The timer that fires at `now`, if any. Closing wins over handing on: a thread that is both
 * idle and unanswered is closed, not given to someone else to close.
 */
export function firedTimer(due: TimerDueTimes, now: number): FiredTimer | undefined {
  if (due.inactiveAt !== undefined && due.inactiveAt <= now) return 'inactive';
  if (due.customerTimeoutAt !== undefined && due.customerTimeoutAt <= now) {
    return 'customer_timeout';
  }
  if (due.unansweredAt !== undefined && due.unansweredAt <= now) return 'unanswered';
  return undefined;
}

/** When the timer's premise began: nothing the timer waits on may be newer (`quiet_since`). */
export function quietSince(activity: ThreadActivity, timer: FiredTimer): number {
  switch (timer) {
    case 'inactive':
      return lastEventAt(activity);
    case 'customer_timeout':
      return activity.customerLastEventAt ?? activity.startedAt;
    case 'unanswered':
      return Math.max(activity.awaitingReplySince ?? 0, activity.assignedAt ?? 0);
    default: {
      const unknown: never = timer;
      throw new Error(`unknown timer ${String(unknown)}`);
    }
  }
}

/** The minutes the fired timer waited, for the system message's `%duration%`. */
export function timerMinutes(settings: TimerSettings, timer: FiredTimer): number {
  switch (timer) {
    case 'inactive':
      return settings.chatInactiveAfterMin;
    case 'customer_timeout':
      return settings.customerTimeoutMin;
    case 'unanswered':
      return settings.transferChatAfterMin;
    default: {
      const unknown: never = timer;
      throw new Error(`unknown timer ${String(unknown)}`);
    }
  }
}

function latest(a: number | undefined, b: number): number {
  return a === undefined ? b : Math.max(a, b);
}

function earliest(a: number | undefined, b: number): number {
  return a === undefined ? b : Math.min(a, b);
}
