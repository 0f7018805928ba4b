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
    const score = mixed(fnv1a(`${member}:${partition}`));
    if (score > best || (score === best && owner !== undefined && member < owner)) {
      best = score;
      owner = member;
    }
  }
  return owner;
}

/**
 * MurmurHash3's 32-bit finaliser. FNV-1a alone scores a member's partitions in lockstep (the
 * members' keys share the partition suffix, so its last rounds barely separate them): one pair
 * of random replica ids in 25 had all 64 partitions go to one replica. Avalanched, each member
 * wins each partition independently, half of them each for two.
 */
function mixed(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
