import { describe, expect, it } from 'vitest';
import {
  decideRetry,
  defaultRetryPolicy,
  longestScheduleMs,
  type RetryPolicy,
} from './retry-policy.ts';

const policy = { baseMs: 1_000, maxMs: 8_000, maxAttempts: 6 };
const almostOne = 1 - Number.EPSILON;

/** The delays before each retry of a delivery that always fails, for one jitter value. */
function schedule(retryPolicy: RetryPolicy, random: number): number[] {
  const delays: number[] = [];
  for (let attempts = 1; ; attempts += 1) {
    const decision = decideRetry(retryPolicy, attempts, random);
    if (decision.type === 'dead') return delays;
    delays.push(decision.delayMs);
  }
}

describe('decideRetry', () => {
  it('doubles the delay after each failed attempt', () => {
    const delays = [1, 2, 3, 4].map((attempts) => decideRetry(policy, attempts, 0.999999));
    expect(delays).toEqual([
      { type: 'retry', delayMs: 1_000 },
      { type: 'retry', delayMs: 2_000 },
      { type: 'retry', delayMs: 4_000 },
      { type: 'retry', delayMs: 8_000 },
    ]);
  });

  it('jitters between half and all of the step', () => {
    expect(decideRetry(policy, 3, 0)).toEqual({ type: 'retry', delayMs: 2_000 });
    expect(decideRetry(policy, 3, 0.5)).toEqual({ type: 'retry', delayMs: 3_000 });
  });

  it('caps the delay at maxMs', () => {
    expect(decideRetry(policy, 5, 0.999999)).toEqual({ type: 'retry', delayMs: 8_000 });
    expect(decideRetry({ ...policy, maxAttempts: 100 }, 80, 0.999999)).toEqual({
      type: 'retry',
      delayMs: 8_000,
    });
  });

  it('gives up once maxAttempts attempts have failed', () => {
    expect(decideRetry(policy, 5, 0.5).type).toBe('retry');
    expect(decideRetry(policy, 6, 0.5)).toEqual({ type: 'dead' });
    expect(decideRetry({ ...policy, maxAttempts: 1 }, 1, 0.5)).toEqual({ type: 'dead' });
  });
});

describe('the default retry policy', () => {
  const sixHoursMs = 6 * 3_600_000;
  const timeoutMs = 10_000;

  it('retries 10 times, 11 attempts in all', () => {
    expect(schedule(defaultRetryPolicy, 0.5)).toHaveLength(10);
  });

  it('fits every attempt, each timing out, into 6 hours even with the longest jitter', () => {
    const longest = schedule(defaultRetryPolicy, almostOne);
    const waiting = longest.reduce((sum, delay) => sum + delay, 0);
    expect(waiting + 11 * timeoutMs).toBeLessThanOrEqual(sixHoursMs);
    expect(longestScheduleMs(defaultRetryPolicy, timeoutMs)).toBe(waiting + 11 * timeoutMs);
    // …and uses most of them: an endpoint down for over 2.5 hours still gets its webhooks.
    const shortest = schedule(defaultRetryPolicy, 0).reduce((sum, delay) => sum + delay, 0);
    expect(shortest).toBeGreaterThan(2.5 * 3_600_000);
  });

  it('grows exponentially until the cap', () => {
    const longest = schedule(defaultRetryPolicy, almostOne);
    expect(longest[0]).toBe(defaultRetryPolicy.baseMs);
    for (let i = 1; i < longest.length; i += 1) {
      const doubled = Math.min(2 * longest[i - 1]!, defaultRetryPolicy.maxMs);
      expect(longest[i]).toBe(doubled);
    }
    expect(longest.at(-1)).toBe(defaultRetryPolicy.maxMs);
  });

  it('keeps every jittered delay between half and all of its step', () => {
    const longest = schedule(defaultRetryPolicy, almostOne);
    for (const random of [0, 0.1, 0.37, 0.5, 0.93, almostOne]) {
      schedule(defaultRetryPolicy, random).forEach((delay, i) => {
        expect(delay).toBeGreaterThanOrEqual(longest[i]! / 2);
        expect(delay).toBeLessThanOrEqual(longest[i]!);
      });
    }
  });
});
