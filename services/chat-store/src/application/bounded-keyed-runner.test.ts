import { describe, expect, it } from 'vitest';
import { createBoundedKeyedRunner } from './bounded-keyed-runner.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('createBoundedKeyedRunner', () => {
  it('keeps each key in order and never runs more than the limit at once', async () => {
    const sut = createBoundedKeyedRunner(3);
    const done: string[] = [];
    let running = 0;
    let most = 0;
    for (let index = 0; index < 30; index++) {
      const key = `k${index % 5}`;
      await sut.submit(key, async () => {
        running++;
        most = Math.max(most, running);
        await tick();
        done.push(`${key}:${index}`);
        running--;
      });
    }
    await sut.drain();

    expect(done).toHaveLength(30);
    expect(most).toBe(3);
    for (let key = 0; key < 5; key++) {
      const order = done.filter((entry) => entry.startsWith(`k${key}:`));
      expect(order).toEqual(
        [...order].sort((a, b) => Number(a.split(':')[1]) - Number(b.split(':')[1])),
      );
    }
  });

  it('throws the first failure from drain', async () => {
    const sut = createBoundedKeyedRunner(2);
    await sut.submit('a', async () => {
      throw new Error('boom');
    });
    await sut.submit('b', tick);
    await expect(sut.drain()).rejects.toThrow('boom');
  });
});
