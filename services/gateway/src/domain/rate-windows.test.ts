import { describe, expect, it } from 'vitest';
import { RateWindows } from './rate-windows.ts';

const windowMs = 1_000;
const start = 50_000; // the start of window 50

describe('RateWindows', () => {
  it('admits up to the limit in a window, then refuses until the window ends', () => {
    const windows = new RateWindows(windowMs);
    expect(windows.admit('a', 2, start)).toBeUndefined();
    expect(windows.admit('a', 2, start + 10)).toBeUndefined();
    expect(windows.admit('a', 2, start + 400)).toEqual({ retryAfterMs: 600 });
    expect(windows.admit('a', 2, start + windowMs)).toBeUndefined();
  });

  it('counts keys apart', () => {
    const windows = new RateWindows(windowMs);
    expect(windows.admit('a', 1, start)).toBeUndefined();
    expect(windows.admit('a', 1, start)).toBeDefined();
    expect(windows.admit('b', 1, start)).toBeUndefined();
  });

  it('refused requests do not count', () => {
    const windows = new RateWindows(windowMs);
    windows.admit('a', 1, start);
    windows.admit('a', 1, start);
    expect(windows.takeReports(start, 100)).toEqual([{ window: 50, counts: { a: 1 } }]);
  });

  it('adds what other replicas report for the same window', () => {
    const one = new RateWindows(windowMs);
    const two = new RateWindows(windowMs);
    one.admit('a', 3, start);
    one.admit('a', 3, start);
    for (const report of one.takeReports(start + 1, 100)) two.receive(report, start + 2);
    expect(two.admit('a', 3, start + 3)).toBeUndefined();
    expect(two.admit('a', 3, start + 4)).toEqual({ retryAfterMs: 996 });
  });

  it('reports each admission once, in reports of bounded size', () => {
    const windows = new RateWindows(windowMs);
    for (const key of ['a', 'b', 'c']) windows.admit(key, 10, start);
    const reports = windows.takeReports(start, 2);
    expect(reports.map((report) => Object.keys(report.counts).length)).toEqual([2, 1]);
    expect(windows.takeReports(start, 2)).toEqual([]);
  });

  it('ignores stale reports and keeps those of a peer slightly ahead for the next window', () => {
    const windows = new RateWindows(windowMs);
    windows.receive({ window: 49, counts: { a: 5 } }, start);
    windows.receive({ window: 51, counts: { b: 5 } }, start);
    expect(windows.admit('a', 5, start)).toBeUndefined();
    expect(windows.admit('b', 5, start)).toBeUndefined();
    expect(windows.admit('b', 5, start + windowMs)).toBeDefined();
  });

  it('drops what a report claims that is not a positive count', () => {
    const windows = new RateWindows(windowMs);
    windows.receive({ window: 50, counts: { a: -10, b: Number.NaN, c: 1.5 } }, start);
    expect(windows.admit('a', 1, start)).toBeUndefined();
    expect(windows.admit('b', 1, start)).toBeUndefined();
    expect(windows.admit('c', 1, start)).toBeUndefined();
  });

  it('forgets a window that ended, its unreported counts included', () => {
    const windows = new RateWindows(windowMs);
    windows.admit('a', 1, start);
    expect(windows.takeReports(start + windowMs, 100)).toEqual([]);
  });
});
