/**
 * When a failed delivery is tried again. LiveChat does not document its retries; Threadline's:
 * exponential backoff from `baseMs` (30 s, 1 min, 2 min …) capped at `maxMs`, with "equal jitter"
 * (a delay between half and all of the step) so receivers recovering from an outage are not hit
 * by every sender at the same instant, and dead after `maxAttempts` attempts in all.
 */
export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
}

/**
 * 10 retries (11 attempts) within 6 hours: the steps are 30 s · 2^n capped at 90 min, so the
 * longest schedule (every jitter at its maximum) is 5 h 7.5 min of waiting, 5 h 9 min with eleven
 * 10-second timeouts; the shortest is half of that. Spending most of the 6 hours lets an endpoint
 * be down for hours and still get everything.
 */
export const defaultRetryPolicy: RetryPolicy = {
  baseMs: 30_000,
  maxMs: 90 * 60_000,
  maxAttempts: 11,
};

export type RetryDecision = { type: 'retry'; delayMs: number } | { type: 'dead' };

/**
 * @param attempts attempts made so far, the failed one included (1 after the first failure)
 * @param random a number in [0, 1): `Math.random()` in production, fixed in tests
 */
export function decideRetry(policy: RetryPolicy, attempts: number, random: number): RetryDecision {
  if (attempts >= policy.maxAttempts) return { type: 'dead' };
  const step = stepMs(policy, attempts);
  return { type: 'retry', delayMs: Math.round(step / 2 + (step / 2) * random) };
}

/**
 * The longest a delivery's schedule can last: every attempt timing out and every delay at its
 * jitter's maximum. A delivery still pending after that was held back (an open circuit, its
 * chat's earlier deliveries, a full endpoint) rather than retried, and is dead-lettered.
 */
export function longestScheduleMs(policy: RetryPolicy, timeoutMs: number): number {
  let total = policy.maxAttempts * timeoutMs;
  for (let attempts = 1; attempts < policy.maxAttempts; attempts += 1) {
    total += stepMs(policy, attempts);
  }
  return total;
}

/** The step after `attempts` failed attempts: the longest the delay can be. */
function stepMs(policy: RetryPolicy, attempts: number): number {
  const exponent = Math.min(Math.max(0, attempts - 1), 52);
  return Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
}
