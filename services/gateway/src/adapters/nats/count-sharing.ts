import type { NatsConnection } from '@nats-io/nats-core';
import type { Logger } from '@threadline/runtime';
import type { ConnectionCounts } from '../../domain/connection-counts.ts';
import type { RateWindows } from '../../domain/rate-windows.ts';

/** Keys per message: a report stays far below NATS's default 1 MB payload limit. */
const keysPerMessage = 2_000;

/**
 * Shares this replica's limit counts with the other gateways: every `intervalMs` it publishes
 * what it has to report (core NATS, fire and forget), and hands the others' reports to
 * `receive`. Requests never wait on NATS; a lost report only makes a limit a little looser.
 */
function shareCounts(options: {
  connection: NatsConnection;
  subject: string;
  replicaId: string;
  intervalMs: number;
  logger: Logger;
  take(now: number, maxKeys: number): object[];
  receive(replica: string, report: Record<string, unknown>, now: number): void;
}): { stop(): void } {
  const { connection, subject, replicaId, logger } = options;
  const subscription = connection.subscribe(subject, {
    callback: (error, message) => {
      if (error) return;
      const body = parseMessage(message.string());
      if (body && body.replica !== replicaId)
        options.receive(body.replica, body.report, Date.now());
    },
  });
  const publish = () => {
    for (const report of options.take(Date.now(), keysPerMessage)) {
      try {
        connection.publish(subject, JSON.stringify({ replica: replicaId, report }));
      } catch (error) {
        logger.warn({ err: error, subject }, 'limit counts not shared');
        return;
      }
    }
  };
  const timer = setInterval(publish, options.intervalMs);
  timer.unref();
  return {
    /** Stops, after publishing what is left to report (the connections a shutdown closed). */
    stop() {
      clearInterval(timer);
      publish();
      subscription.unsubscribe();
    },
  };
}

type Sharing = Omit<Parameters<typeof shareCounts>[0], 'take' | 'receive'>;

/** The rate-limit windows' counts (domain/rate-windows.ts). */
export function shareRateWindows(options: Sharing & { windows: RateWindows }) {
  const { windows } = options;
  return shareCounts({
    ...options,
    take: (now, maxKeys) => windows.takeReports(now, maxKeys),
    receive: (_replica, report, now) => {
      const counts = countsOf(report.counts);
      if (typeof report.window === 'number' && counts) {
        windows.receive({ window: report.window, counts }, now);
      }
    },
  });
}

/** The connections per user (domain/connection-counts.ts). */
export function shareConnectionCounts(options: Sharing & { counts: ConnectionCounts }) {
  const { counts } = options;
  return shareCounts({
    ...options,
    take: (now, maxKeys) => counts.takeReports(now, maxKeys),
    receive: (replica, report, now) => counts.receive(replica, countsOf(report) ?? {}, now),
  });
}

/** Another gateway's message, or undefined for anything malformed. */
function parseMessage(
  text: string,
): { replica: string; report: Record<string, unknown> } | undefined {
  try {
    const body = JSON.parse(text) as { replica?: unknown; report?: unknown };
    if (typeof body.replica !== 'string') return undefined;
    if (typeof body.report !== 'object' || body.report === null) return undefined;
    return { replica: body.replica, report: body.report as Record<string, unknown> };
  } catch {
    return undefined;
  }
}

/** The domain checks each count; this only makes sure there is an object of them. */
function countsOf(value: unknown): Record<string, number> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, number>)
    : undefined;
}
