/**
 * Request counting in fixed windows, shared between gateway replicas without a round trip per
 * request: each replica counts locally, periodically reports what it counted since its last
 * report, and adds the other replicas' reports to its own counts of the same window.
 *
 * Why fixed windows: a window is a number every replica derives from its clock (`now / windowMs`),
 * so reports need no coordination and summing them is exact; the refusal's `Retry-After` is the
 * time left in the window; and a key costs one number per window. The price is the known one: a
 * client may spend one window's budget at the end of a window and the next one's at the start.
 * For abuse protection (as opposed to billing) that is acceptable. Peers' counts arrive up to one
 * report interval late, so replicas together admit at most `limit` plus what the others admitted
 * in that interval.
 */

/** What one replica counted in one window since its previous report, by key. */
export interface WindowReport {
  window: number;
  counts: Record<string, number>;
}

export interface RateRefusal {
  /** Until the window ends: after it the key starts from zero. */
  retryAfterMs: number;
}

export class RateWindows {
  private window = Number.NEGATIVE_INFINITY;
  /** This replica's admitted requests in the current window. */
  private local = new Map<string, number>();
  /** The other replicas' admitted requests in the current window, as reported. */
  private peers = new Map<string, number>();
  /** Reports for the next window, from a peer whose clock is a little ahead. */
  private peersAhead = new Map<string, number>();
  /** This replica's admissions not reported yet. */
  private unreported = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  /** Counts a request of `key` unless the key already used `limit` in this window. */
  admit(key: string, limit: number, now: number): RateRefusal | undefined {
    this.roll(now);
    const used = (this.local.get(key) ?? 0) + (this.peers.get(key) ?? 0);
    if (used >= limit) return { retryAfterMs: (this.window + 1) * this.windowMs - now };
    this.local.set(key, (this.local.get(key) ?? 0) + 1);
    this.unreported.set(key, (this.unreported.get(key) ?? 0) + 1);
    return undefined;
  }

  /**
   * What this replica admitted since the previous call, in reports of at most `maxKeys` keys
   * (a message each); none when it admitted nothing. Counts of a window that ended are dropped:
   * every replica has moved on from it.
   */
  takeReports(now: number, maxKeys: number): WindowReport[] {
    this.roll(now);
    const entries = [...this.unreported];
    this.unreported = new Map();
    const reports: WindowReport[] = [];
    for (let start = 0; start < entries.length; start += maxKeys) {
      reports.push({
        window: this.window,
        counts: Object.fromEntries(entries.slice(start, start + maxKeys)),
      });
    }
    return reports;
  }

  /** Adds another replica's report; one of a window other than this or the next is stale. */
  receive(report: WindowReport, now: number): void {
    this.roll(now);
    const target =
      report.window === this.window
        ? this.peers
        : report.window === this.window + 1
          ? this.peersAhead
          : undefined;
    if (!target) return;
    for (const [key, count] of Object.entries(report.counts)) {
      if (!Number.isSafeInteger(count) || count <= 0) continue;
      target.set(key, (target.get(key) ?? 0) + count);
    }
  }

  private roll(now: number): void {
    const window = Math.floor(now / this.windowMs);
    if (window === this.window) return;
    this.peers = window === this.window + 1 ? this.peersAhead : new Map();
    this.peersAhead = new Map();
    this.local = new Map();
    this.unreported = new Map();
    this.window = window;
  }
}
