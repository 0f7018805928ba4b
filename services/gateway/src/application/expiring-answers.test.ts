import { describe, expect, it } from 'vitest';
import { createExpiringAnswers } from './expiring-answers.ts';

function counter(answers: unknown[]) {
  let asked = 0;
  return {
    ask: async () => answers[asked++],
    get asked() {
      return asked;
    },
  };
}

describe('createExpiringAnswers', () => {
  it('reuses an answer until it expires, then asks again', async () => {
    let clock = 0;
    const answers = createExpiringAnswers<unknown>({ ttlMs: 1_000, now: () => clock });
    const source = counter(['first', 'second']);
    expect(await answers.get('a', source.ask)).toBe('first');
    clock = 999;
    expect(await answers.get('a', source.ask)).toBe('first');
    clock = 1_000;
    expect(await answers.get('a', source.ask)).toBe('second');
    expect(source.asked).toBe(2);
  });

  it('shares an ask in flight, and keeps keys apart', async () => {
    const answers = createExpiringAnswers<unknown>({ ttlMs: 1_000, now: () => 0 });
    const source = counter(['one', 'two']);
    const [x, y] = await Promise.all([answers.get('a', source.ask), answers.get('a', source.ask)]);
    expect([x, y]).toEqual(['one', 'one']);
    expect(await answers.get('b', source.ask)).toBe('two');
  });

  it('does not reuse failures, answers `keep` refuses, or forgotten keys', async () => {
    const answers = createExpiringAnswers<string[]>({
      ttlMs: 1_000,
      keep: (found) => found.length === 0,
      now: () => 0,
    });
    await expect(answers.get('org:1', () => Promise.reject(new Error('down')))).rejects.toThrow();
    await Promise.resolve();
    expect(await answers.get('org:1', async () => ['greeting'])).toEqual(['greeting']);
    await Promise.resolve();
    expect(await answers.get('org:1', async () => [])).toEqual([]);
    expect(await answers.get('org:1', async () => ['unseen'])).toEqual([]);
    answers.forget('org:');
    expect(await answers.get('org:1', async () => ['seen'])).toEqual(['seen']);
  });
});
