import { describe, expect, it } from 'vitest';
import { nextRate, type RateSearch, sustainedRate } from './rate-search.ts';

const search: RateSearch = { startRate: 20, factor: 1.5, maxSteps: 9, maxRate: 20_000 };
const held = (rate: number) => ({ rate, held: true });
const failed = (rate: number) => ({ rate, held: false });

describe('nextRate', () => {
  it('starts at the start rate and goes up by the factor while every rate holds', () => {
    expect(nextRate(search, [])).toBe(20);
    expect(nextRate(search, [held(20)])).toBe(30);
    expect(nextRate(search, [held(20), held(30)])).toBe(45);
  });

  it('tries once halfway between the highest that held and the first that failed', () => {
    expect(nextRate(search, [held(20), held(30), failed(45)])).toBe(38);
    expect(nextRate(search, [held(20), held(30), failed(45), held(38)])).toBeUndefined();
    expect(nextRate(search, [held(20), held(30), failed(45), failed(38)])).toBeUndefined();
  });

  it('goes down by the factor while nothing has held, and stops at the first that holds', () => {
    expect(nextRate(search, [failed(20)])).toBe(13);
    expect(nextRate(search, [failed(20), failed(13)])).toBe(9);
    expect(nextRate(search, [failed(20), held(13)])).toBeUndefined();
  });

  it('stops at the step budget and never passes the highest rate', () => {
    expect(nextRate({ ...search, maxSteps: 2 }, [held(20), held(30)])).toBeUndefined();
    expect(nextRate({ ...search, maxRate: 40 }, [held(20), held(30)])).toBe(40);
    expect(nextRate({ ...search, maxRate: 40 }, [held(20), held(30), held(40)])).toBeUndefined();
  });

  it('skips the halfway step when no rate lies between', () => {
    expect(nextRate({ ...search, startRate: 1 }, [held(1), failed(2)])).toBeUndefined();
  });
});

describe('sustainedRate', () => {
  it('is the highest rate that held, whatever the order tried', () => {
    expect(sustainedRate([held(20), held(30), failed(45), held(38)])).toBe(38);
    expect(sustainedRate([failed(20), failed(13)])).toBeUndefined();
  });
});
