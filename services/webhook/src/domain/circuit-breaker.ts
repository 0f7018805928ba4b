/**
 * A circuit breaker per endpoint (webhook URL), so a dead endpoint stops taking delivery slots
 * and attempts: after `failureThreshold` consecutive failed attempts the circuit opens, and the
 * endpoint's deliveries are not claimed (they wait, their attempts uncounted) for a cool-down
 * that doubles with each opening in a row, from `coolDownMs` up to `maxCoolDownMs`. When it
 * ends, one delivery is sent as a probe (half-open, decided by the claim): success closes the
 * circuit, failure opens it again for longer.
 */
export interface BreakerPolicy {
  failureThreshold: number;
  coolDownMs: number;
  maxCoolDownMs: number;
}

export type BreakerStatus = 'closed' | 'open' | 'half_open';

export interface BreakerState {
  status: BreakerStatus;
  consecutiveFailures: number;
  /** Times the circuit opened since it was last closed: how long the next cool-down is. */
  openings: number;
}

export const closedBreaker: BreakerState = {
  status: 'closed',
  consecutiveFailures: 0,
  openings: 0,
};

export interface BreakerDecision {
  state: BreakerState;
  /** Set when this outcome opens the circuit: for how long no delivery is claimed. */
  openForMs?: number;
}

/** The breaker after one attempt to the endpoint settled. */
export function afterAttempt(
  policy: BreakerPolicy,
  state: BreakerState,
  outcome: 'delivered' | 'failed',
): BreakerDecision {
  // Any answer proves the endpoint works again, even one to a request sent before it opened.
  if (outcome === 'delivered') return { state: closedBreaker };
  const consecutiveFailures = state.consecutiveFailures + 1;
  const opens =
    state.status === 'half_open' ||
    (state.status === 'closed' && consecutiveFailures >= policy.failureThreshold);
  // A request sent before the circuit opened fails late: the cool-down already running stands.
  if (!opens) return { state: { ...state, consecutiveFailures } };
  const openings = state.openings + 1;
  return {
    state: { status: 'open', consecutiveFailures, openings },
    openForMs: coolDown(policy, openings),
  };
}

function coolDown(policy: BreakerPolicy, openings: number): number {
  return Math.min(policy.maxCoolDownMs, policy.coolDownMs * 2 ** Math.min(openings - 1, 52));
}
