import { describe, expect, it } from 'vitest';
import { ConnectionCounts } from './connection-counts.ts';

describe('ConnectionCounts', () => {
  it('admits up to the ceiling per key, and again once one closes', () => {
    const counts = new ConnectionCounts(2);
    expect(counts.tryOpen('a')).toBe(true);
    expect(counts.tryOpen('a')).toBe(true);
    expect(counts.tryOpen('a')).toBe(false);
    expect(counts.tryOpen('b')).toBe(true);
    counts.close('a');
    expect(counts.tryOpen('a')).toBe(true);
  });

  it('forgets a key with no connections left', () => {
    const counts = new ConnectionCounts(1);
    counts.tryOpen('a');
    counts.close('a');
    counts.close('a');
    expect(counts.count('a')).toBe(0);
    expect(counts.tryOpen('a')).toBe(true);
  });
});
