import type { NatsConnection } from '@nats-io/nats-core';
import type { Logger } from '@threadline/runtime';
import type { RateWindows, WindowReport } from '../../domain/rate-windows.ts';

/** Keys per message: a report stays far below NATS's default 1 MB payload limit. */
const keysPerMessage = 2_000;

/**
 * Shares this replica's rate-limit counts with the other gateways: every `intervalMs` it publishes
 * what it admitted since the last time (core NATS, fire and forget), and adds what the others
 * publish. Requests never wait on NATS; a lost report only makes the limit a little looser.
 */
export function shareRateWindows(options: {
  connection: NatsConnection;
  subject: string;
  replicaId: string;
  windows: RateWindows;
  intervalMs: number;
  logger: Logger;
}): { stop(): void } {
  const { connection, subject, replicaId, windows, logger } = options;
  const subscription = connection.subscribe(subject, {
    callback: (error, message) => {
      if (error) return;
      const report = readReport(message.string(), replicaId);
      if (report) windows.receive(report, Date.now());
    },
  });
  const timer = setInterval(() => {
    for (const report of windows.takeReports(Date.now(), keysPerMessage)) {
      try {
        connection.publish(subject, JSON.stringify({ replica: replicaId, ...report }));
      } catch (error) {
        logger.warn({ err: error }, 'rate-limit counts not shared');
        return;
      }
    }
  }, options.intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      subscription.unsubscribe();
    },
  };
}

/** Another replica's report, or undefined for this replica's own or anything malformed. */
function readReport(text: string, replicaId: string): WindowReport | undefined {
  try {
    const body = JSON.parse(text) as { replica?: unknown; window?: unknown; counts?: unknown };
    if (body.replica === replicaId || typeof body.window !== 'number') return undefined;
    if (typeof body.counts !== 'object' || body.counts === null) return undefined;
    return { window: body.window, counts: body.counts as Record<string, number> };
  } catch {
    return undefined;
  }
}
