import { fnv1a } from '@threadline/bus';

/**
 * Which chat partitions a replica serves, given the replicas it knows alive: rendezvous hashing,
 * so every replica computes the same owner for a partition from the same members without talking,
 * and a member joining or leaving moves only the partitions it takes or gives up.
 */
export function partitionsOwnedBy(
  self: string,
  members: Iterable<string>,
  partitions: number,
): number[] {
  const candidates = [...new Set([...members, self])];
  const owned: number[] = [];
  for (let partition = 0; partition < partitions; partition++) {
    if (ownerOf(partition, candidates) === self) owned.push(partition);
  }
  return owned;
}

function ownerOf(partition: number, members: readonly string[]): string | undefined {
  let owner: string | undefined;
  let best = -1;
  for (const member of members) {
    const score = fnv1a(`${member}:${partition}`);
    if (score > best || (score === best && owner !== undefined && member < owner)) {
      best = score;
      owner = member;
    }
  }
  return owner;
}
