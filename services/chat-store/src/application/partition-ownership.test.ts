import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { partitionsOwnedBy } from './partition-ownership.ts';

describe('partitionsOwnedBy', () => {
  const all = Array.from({ length: 64 }, (_, index) => index);

  it('gives a lone replica every partition', () => {
    expect(partitionsOwnedBy('a', [], 64)).toEqual(all);
  });

  it('gives each partition to exactly one of the members, whichever of them computes it', () => {
    const members = ['a', 'b', 'c'];
    const owned = members.map((member) => partitionsOwnedBy(member, members, 64));
    expect(owned.flat().sort((x, y) => x - y)).toEqual(all);
    for (const partitions of owned) expect(partitions.length).toBeGreaterThan(8);
  });

  it('shares the partitions evenly between replicas with random ids (as replicas name themselves)', () => {
    for (let pair = 0; pair < 500; pair++) {
      const members = [randomUUID(), randomUUID()];
      const first = partitionsOwnedBy(members[0]!, members, 64).length;
      // Binomial(64, 1/2): outside 8..56 has a chance under 1e-10 per draw.
      expect(first).toBeGreaterThanOrEqual(8);
      expect(first).toBeLessThanOrEqual(56);
    }
  });

  it('moves only the partitions of the member that leaves', () => {
    const before = partitionsOwnedBy('a', ['a', 'b', 'c'], 64);
    const after = partitionsOwnedBy('a', ['a', 'b'], 64);
    expect(after).toEqual(expect.arrayContaining(before));
    const fromC = partitionsOwnedBy('c', ['a', 'b', 'c'], 64);
    for (const partition of after.filter((p) => !before.includes(p)))
      expect(fromC).toContain(partition);
  });
});
