import { describe, expect, it } from 'vitest';
import { afterAttempt, type BreakerState, closedBreaker } from './circuit-breaker.ts';

const policy = { failureThreshold: 3, coolDownMs: 1_000, maxCoolDownMs: 5_000 };

function failures(count: number, from: BreakerState = closedBreaker) {
  let state = from;
  const opened: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const decision = afterAttempt(policy, state, 'failed');
    state = decision.state;
    if (decision.openForMs !== undefined) opened.push(decision.openForMs);
  }
  return { state, opened };
}

describe('afterAttempt', () => {
  it('stays closed below the threshold of consecutive failures', () => {
    expect(failures(2)).toEqual({
      state: { status: 'closed', consecutiveFailures: 2, openings: 0 },
      opened: [],
    });
  });

  it('opens at the threshold for the base cool-down', () => {
    expect(failures(3)).toEqual({
      state: { status: 'open', consecutiveFailures: 3, openings: 1 },
      opened: [1_000],
    });
  });

  it('lets a success reset the count, so only consecutive failures open it', () => {
    const { state } = failures(2);
    const reset = afterAttempt(policy, state, 'delivered').state;
    expect(reset).toEqual(closedBreaker);
    expect(failures(2, reset).state.status).toBe('closed');
  });

  it('keeps the running cool-down when requests sent before it opened fail late', () => {
    const open = failures(3).state;
    expect(afterAttempt(policy, open, 'failed')).toEqual({
      state: { status: 'open', consecutiveFailures: 4, openings: 1 },
    });
  });

  it('reopens after a failed probe, each time for twice as long up to the maximum', () => {
    let state = failures(3).state;
    const coolDowns: (number | undefined)[] = [];
    for (let probe = 0; probe < 4; probe += 1) {
      const decision = afterAttempt(policy, { ...state, status: 'half_open' }, 'failed');
      state = decision.state;
      coolDowns.push(decision.openForMs);
      expect(state.status).toBe('open');
    }
    expect(coolDowns).toEqual([2_000, 4_000, 5_000, 5_000]);
  });

  it('closes after a successful probe and starts the cool-downs over', () => {
    const probing: BreakerState = { status: 'half_open', consecutiveFailures: 7, openings: 3 };
    expect(afterAttempt(policy, probing, 'delivered')).toEqual({ state: closedBreaker });
    expect(failures(3, closedBreaker).opened).toEqual([1_000]);
  });
});
