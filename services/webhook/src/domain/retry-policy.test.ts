import { describe, expect, it } from 'vitest';
import { decideRetry } from './retry-policy.ts';

const policy = { baseMs: 1_000, maxMs: 8_000, maxAttempts: 6 };

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
