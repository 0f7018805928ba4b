import { describe, expect, it } from 'vitest';
import { createResumeFilter } from './resume-filter.ts';

const push = (chat_id: string, sequence: number, index?: number) => ({
  payload: {
    chat_id,
    _threadline: index === undefined ? { chat_id, sequence } : { chat_id, sequence, index },
  },
});

describe('resume filter', () => {
  it('delivers pushes without a position, and everything when nothing was resumed', () => {
    const sut = createResumeFilter();
    expect(sut.admit({ payload: { chat_id: 'A' } })).toBe('deliver');
    expect(sut.admit({ payload: 'not an object' })).toBe('deliver');
    expect(sut.admit(push('A', 1, 0))).toBe('deliver');
  });

  it('holds the live pushes of a chat being resumed and releases those after the replay', () => {
    const sut = createResumeFilter();
    sut.hold(['A']);
    const live = [push('A', 4, 0), push('A', 5, 0), push('A', 5, 1), push('A', 6, 0)];
    for (const each of live) expect(sut.admit(each)).toBe('held');
    expect(sut.admit(push('B', 1, 0))).toBe('deliver');
    expect(sut.release('A', 5)).toEqual([push('A', 6, 0)]);
  });

  it('drops replayed batches that arrive live after the release, and only those', () => {
    const sut = createResumeFilter();
    sut.hold(['A']);
    sut.release('A', 7);
    expect(sut.admit(push('A', 7, 2))).toBe('drop');
    expect(sut.admit(push('A', 3, 0))).toBe('drop');
    expect(sut.admit(push('A', 8, 0))).toBe('deliver');
    expect(sut.admit(push('B', 7, 0))).toBe('deliver');
  });

  it('never drops direct pushes, which no replay holds', () => {
    const sut = createResumeFilter();
    sut.hold(['A']);
    expect(sut.admit(push('A', 2))).toBe('held');
    expect(sut.release('A', 9)).toEqual([push('A', 2)]);
    expect(sut.admit(push('A', 3))).toBe('deliver');
  });

  it('releases everything held when nothing was replayed, keeping the order', () => {
    const sut = createResumeFilter();
    sut.hold(['A']);
    const live = [push('A', 4, 0), push('A', 2, 0), push('A', 5, 0)];
    for (const each of live) sut.admit(each);
    expect(sut.release('A', undefined)).toEqual(live);
    expect(sut.admit(push('A', 1, 0))).toBe('deliver');
  });

  it('keeps the highest replayed sequence when a chat is resumed twice', () => {
    const sut = createResumeFilter();
    sut.hold(['A']);
    sut.release('A', 9);
    sut.hold(['A']);
    sut.release('A', 4);
    expect(sut.admit(push('A', 9, 0))).toBe('drop');
  });
});
