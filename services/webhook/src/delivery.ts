import type { Kysely } from '@threadline/postgres';
import type { Logger } from '@threadline/runtime';
import { createAddressGuard } from './adapters/dns/address-guard.ts';
import { createWebhookSender } from './adapters/http/webhook-sender.ts';
import type { WebhookDatabase } from './adapters/postgres/database.ts';
import { listenForNotifications } from './adapters/postgres/listener.ts';
import {
  createDeliveryQueue,
  deliveriesChannel,
  pruneSettled,
} from './adapters/postgres/outbox.ts';
import { startDeliveryWorker } from './application/delivery-worker.ts';
import type { Config } from './config.ts';
import type { WebhookMetrics } from './metrics.ts';

const pruneIntervalMs = 10 * 60_000;

/**
 * The sending half of a replica: the delivery worker, the LISTEN connection that wakes it when
 * any replica enqueues, and the periodic pruning of settled rows.
 */
export function startDelivery(
  config: Readonly<Config>,
  db: Kysely<WebhookDatabase>,
  metrics: WebhookMetrics,
  logger: Logger,
) {
  const worker = startDeliveryWorker({
    queue: createDeliveryQueue(db),
    send: createWebhookSender({ guard: createAddressGuard(config.delivery.allowedNetworks) }),
    policy: config.delivery.retry,
    timeoutMs: config.delivery.timeoutMs,
    concurrency: config.delivery.concurrency,
    pollIntervalMs: config.delivery.pollIntervalMs,
    onSettled: (delivery, outcome, attemptMs) => {
      metrics.deliveries.inc({ outcome });
      metrics.attemptDuration.observe({ outcome }, attemptMs / 1000);
      if (outcome === 'delivered') {
        metrics.deliveryLatency.observe((Date.now() - delivery.createdAt.getTime()) / 1000);
      }
      if (outcome === 'dead') logger.warn({ deliveryId: delivery.id }, 'webhook delivery is dead');
    },
    onError: (error) => logger.error({ err: error }, 'delivery worker error'),
  });
  const listener = listenForNotifications({
    url: config.postgres.url,
    channel: deliveriesChannel,
    onNotification: () => worker.wake(),
    onError: (error) => logger.warn({ err: error }, 'outbox listener connection failed'),
  });
  const pruning = setInterval(() => {
    pruneSettled(db, config.delivery.retentionMs).then(
      (pruned) => pruned > 0 && logger.info({ pruned }, 'pruned settled deliveries'),
      (error: unknown) => logger.warn({ err: error }, 'pruning deliveries failed'),
    );
  }, pruneIntervalMs);
  pruning.unref();

  return {
    wake: () => worker.wake(),
    /** Stops claiming, waits for requests in flight, then closes the listener. */
    async stop() {
      clearInterval(pruning);
      await worker.stop();
      await listener.stop();
    },
  };
}
