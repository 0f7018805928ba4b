/**
 * When a failed delivery is tried again. LiveChat does not document its retries; Threadline's:
 * exponential backoff from `baseMs` (1 s, 2 s, 4 s …) capped at `maxMs`, with "equal jitter"
 * (a delay between half and all of the step) so receivers recovering from an outage are not hit
 * by every sender at the same instant, and dead after `maxAttempts` attempts in all.
 */
export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
}

export type RetryDecision = { type: 'retry'; delayMs: number } | { type: 'dead' };

/**
 * @param attempts attempts made so far, the failed one included (1 after the first failure)
 * @param random a number in [0, 1): `Math.random()` in production, fixed in tests
 */
export function decideRetry(policy: RetryPolicy, attempts: number, random: number): RetryDecision {
  if (attempts >= policy.maxAttempts) return { type: 'dead' };
  const exponent = Math.min(Math.max(0, attempts - 1), 52);
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return { type: 'retry', delayMs: Math.round(step / 2 + (step / 2) * random) };
}
