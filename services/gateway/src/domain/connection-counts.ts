/**
 * Open connections per user against a ceiling, across gateway replicas. Each replica counts its
 * own and reports, with the rate-limit counts' rhythm, the current count of every user whose
 * count changed (absolute numbers: a report applied twice or out of turn does no harm), and
 * every `fullReportMs` all of them. A peer's count that is not reported again within `ttlMs` is
 * forgotten: its replica stopped, or the report that brought it to zero was lost.
 *
 * Two logins of one user on two replicas in the same report interval may both be admitted: the
 * ceiling can be passed by what the other replicas admitted in that interval, as with the rate
 * limits. It exists against leaking clients and floods of sockets, which it stops all the same.
 */
export class ConnectionCounts {
  private readonly local = new Map<string, number>();
  private readonly changed = new Set<string>();
  /** Other replicas' counts: key → replica → count and when it was reported. */
  private readonly peers = new Map<string, Map<string, { count: number; seenAt: number }>>();
  private lastFullReport = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly max: number,
    private readonly timing: { fullReportMs: number; ttlMs: number },
  ) {}

  /** Takes a place for one more connection of `key`, unless it holds `max` already. */
  tryOpen(key: string, now: number): boolean {
    if (this.count(key, now) >= this.max) return false;
    this.local.set(key, (this.local.get(key) ?? 0) + 1);
    this.changed.add(key);
    return true;
  }

  /** Gives back a place `tryOpen` took. */
  close(key: string): void {
    const count = (this.local.get(key) ?? 0) - 1;
    if (count > 0) this.local.set(key, count);
    else this.local.delete(key);
    this.changed.add(key);
  }

  /** Connections of `key` on every replica, as far as this one knows. */
  count(key: string, now: number): number {
    let total = this.local.get(key) ?? 0;
    const peers = this.peers.get(key);
    for (const [replica, entry] of peers ?? []) {
      if (entry.seenAt + this.timing.ttlMs > now) total += entry.count;
      else peers!.delete(replica);
    }
    if (peers?.size === 0) this.peers.delete(key);
    return total;
  }

  /**
   * This replica's counts to report, in reports of at most `maxKeys` keys: those that changed
   * since the last call (zero for a key whose last connection closed), or all of them when a
   * full report is due. A full report also forgets the peers' counts that expired.
   */
  takeReports(now: number, maxKeys: number): Record<string, number>[] {
    let keys: Iterable<string> = this.changed;
    if (now - this.lastFullReport >= this.timing.fullReportMs) {
      this.lastFullReport = now;
      keys = new Set([...this.changed, ...this.local.keys()]);
      for (const key of [...this.peers.keys()]) this.count(key, now);
    }
    const entries = [...keys].map((key): [string, number] => [key, this.local.get(key) ?? 0]);
    this.changed.clear();
    const reports: Record<string, number>[] = [];
    for (let start = 0; start < entries.length; start += maxKeys) {
      reports.push(Object.fromEntries(entries.slice(start, start + maxKeys)));
    }
    return reports;
  }

  /** Another replica's report. */
  receive(replica: string, counts: Record<string, number>, now: number): void {
    for (const [key, count] of Object.entries(counts)) {
      if (!Number.isSafeInteger(count) || count < 0) continue;
      let peers = this.peers.get(key);
      if (count === 0) {
        peers?.delete(replica);
        if (peers?.size === 0) this.peers.delete(key);
        continue;
      }
      if (!peers) {
        peers = new Map();
        this.peers.set(key, peers);
      }
      peers.set(replica, { count, seenAt: now });
    }
  }
}
