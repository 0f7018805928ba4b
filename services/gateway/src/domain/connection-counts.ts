/**
 * Open connections per user against a ceiling. Counted per gateway: a connection limit is about
 * what one user holds open, and a load balancer spreads a user's connections over the replicas,
 * so the ceiling applies per replica (N replicas admit at most N × max). Sharing it would need
 * every replica's live counts (a gauge, not the rate windows' counts), for a limit whose job,
 * stopping a leak or a flood of sockets, the per-replica ceiling already does.
 */
export class ConnectionCounts {
  private readonly counts = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Takes a place for one more connection of `key`, unless it holds `max` already. */
  tryOpen(key: string): boolean {
    const count = this.counts.get(key) ?? 0;
    if (count >= this.max) return false;
    this.counts.set(key, count + 1);
    return true;
  }

  /** Gives back a place `tryOpen` took. */
  close(key: string): void {
    const count = (this.counts.get(key) ?? 0) - 1;
    if (count > 0) this.counts.set(key, count);
    else this.counts.delete(key);
  }

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }
}
