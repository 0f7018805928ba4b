import type { Kysely } from '@threadline/postgres';
import type { Logger } from '@threadline/runtime';
import { createAddressGuard } from './adapters/dns/address-guard.ts';
import { createWebhookSender } from './adapters/http/webhook-sender.ts';
import type { WebhookDatabase } from './adapters/postgres/database.ts';
import { createEndpointBreakers, pruneEndpoints } from './adapters/postgres/endpoints.ts';
import { listenForNotifications } from './adapters/postgres/listener.ts';
import {
  createDeliveryQueue,
  deliveriesChannel,
  expireOverdue,
  pruneSettled,
} from './adapters/postgres/outbox.ts';
import { startDeliveryWorker } from './application/delivery-worker.ts';
import type { Config } from './config.ts';
import { longestScheduleMs } from './domain/retry-policy.ts';
import type { WebhookMetrics } from './metrics.ts';

const pruneIntervalMs = 10 * 60_000;
const expireIntervalMs = 60_000;

/**
 * The sending half of a replica: the delivery worker, the LISTEN connection that wakes it when
 * any replica enqueues, the periodic dead-lettering of deliveries held past their whole retry
 * schedule, and the periodic pruning of settled rows.
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
    breakers: createEndpointBreakers(db, config.delivery.breaker),
    policy: config.delivery.retry,
    timeoutMs: config.delivery.timeoutMs,
    concurrency: config.delivery.concurrency,
    endpointConcurrency: config.delivery.endpointConcurrency,
    pollIntervalMs: config.delivery.pollIntervalMs,
    onSettled: (delivery, outcome, attemptMs) => {
      const attempt = outcome === 'delivered' ? 'delivered' : 'failed';
      metrics.attemptDuration.observe({ outcome: attempt }, attemptMs / 1000);
      if (outcome === 'delivered') {
        metrics.deliveries.inc();
        metrics.deliveryLatency.observe((Date.now() - delivery.createdAt.getTime()) / 1000);
        return;
      }
      metrics.failures.inc();
      if (outcome === 'retry') metrics.retries.inc();
      else {
        metrics.deadLetters.inc();
        logger.warn({ deliveryId: delivery.id }, 'webhook delivery is dead');
      }
    },
    onBreakerChange: (url, change) => {
      if (change.to === 'open' && change.openForMs !== undefined) {
        metrics.circuitsOpened.inc();
        logger.warn({ url, openForMs: change.openForMs }, 'webhook endpoint circuit opened');
      } else if (change.to === 'closed' && change.from !== 'closed') {
        logger.info({ url }, 'webhook endpoint circuit closed');
      }
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
    pruneEndpoints(db, config.delivery.retentionMs).catch((error: unknown) =>
      logger.warn({ err: error }, 'pruning endpoints failed'),
    );
  }, pruneIntervalMs);
  pruning.unref();
  const maxAgeMs = longestScheduleMs(config.delivery.retry, config.delivery.timeoutMs);
  const expiring = setInterval(() => {
    expireOverdue(db, maxAgeMs).then(
      (expired) => {
        if (expired === 0) return;
        metrics.deadLetters.inc(expired);
        logger.warn({ expired }, 'webhook deliveries held past their retry schedule are dead');
      },
      (error: unknown) => logger.warn({ err: error }, 'expiring deliveries failed'),
    );
  }, expireIntervalMs);
  expiring.unref();

  return {
    wake: () => worker.wake(),
    /** Stops claiming, waits for requests in flight, then closes the listener. */
    async stop() {
      clearInterval(pruning);
      clearInterval(expiring);
      await worker.stop();
      await listener.stop();
    },
  };
}
