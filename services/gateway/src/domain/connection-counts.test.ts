import { describe, expect, it } from 'vitest';
import { ConnectionCounts } from './connection-counts.ts';

const timing = { fullReportMs: 5_000, ttlMs: 15_000 };

describe('ConnectionCounts', () => {
  it('admits up to the ceiling per key, and again once one closes', () => {
    const counts = new ConnectionCounts(2, timing);
    expect(counts.tryOpen('a', 0)).toBe(true);
    expect(counts.tryOpen('a', 0)).toBe(true);
    expect(counts.tryOpen('a', 0)).toBe(false);
    expect(counts.tryOpen('b', 0)).toBe(true);
    counts.close('a');
    expect(counts.tryOpen('a', 0)).toBe(true);
  });

  it("adds the other replicas' reported counts", () => {
    const one = new ConnectionCounts(3, timing);
    const two = new ConnectionCounts(3, timing);
    one.tryOpen('a', 0);
    one.tryOpen('a', 0);
    for (const report of one.takeReports(0, 100)) two.receive('one', report, 1);
    expect(two.tryOpen('a', 2)).toBe(true);
    expect(two.tryOpen('a', 2)).toBe(false);

    one.close('a');
    for (const report of one.takeReports(10, 100)) two.receive('one', report, 11);
    expect(two.count('a', 12)).toBe(2);
    one.close('a');
    for (const report of one.takeReports(20, 100)) two.receive('one', report, 21);
    expect(two.count('a', 22)).toBe(1);
  });

  it('reports changed keys, and every key when a full report is due', () => {
    const counts = new ConnectionCounts(5, timing);
    counts.tryOpen('a', 0);
    counts.tryOpen('b', 0);
    expect(counts.takeReports(0, 100)).toEqual([{ a: 1, b: 1 }]);
    expect(counts.takeReports(100, 100)).toEqual([]);
    counts.close('b');
    expect(counts.takeReports(200, 100)).toEqual([{ b: 0 }]);
    expect(counts.takeReports(5_000, 1)).toEqual([{ a: 1 }]);
  });

  it("forgets a peer's count it stopped hearing about", () => {
    const counts = new ConnectionCounts(1, timing);
    counts.receive('gone', { a: 1 }, 0);
    expect(counts.tryOpen('a', 14_999)).toBe(false);
    expect(counts.tryOpen('a', 15_000)).toBe(true);
  });

  it('ignores counts that are not whole non-negative numbers', () => {
    const counts = new ConnectionCounts(1, timing);
    counts.receive('peer', { a: -1, b: 0.5, c: Number.NaN }, 0);
    for (const key of ['a', 'b', 'c']) expect(counts.tryOpen(key, 1)).toBe(true);
  });
});
