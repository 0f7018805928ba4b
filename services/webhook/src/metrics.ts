import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The webhook service's own metrics, registered on the service's registry. */
export function createWebhookMetrics(registry: Registry, countBacklog: () => Promise<number>) {
  return {
    commands: new Counter({
      name: 'threadline_webhook_commands_total',
      help: 'Configuration API webhook methods handled, by action and outcome (ok or error type).',
      labelNames: ['action', 'outcome'],
      registers: [registry],
    }),
    batches: new Counter({
      name: 'threadline_webhook_batches_total',
      help: 'Chat event batches fanned out.',
      registers: [registry],
    }),
    enqueued: new Counter({
      name: 'threadline_webhook_enqueued_total',
      help: 'Deliveries added to the outbox (duplicates from redelivered batches excluded).',
      registers: [registry],
    }),
    deliveries: new Counter({
      name: 'threadline_webhook_deliveries_total',
      help: 'Delivery attempts by outcome: delivered, retry (scheduled again) or dead (gave up).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    attemptDuration: new Histogram({
      name: 'threadline_webhook_attempt_duration_seconds',
      help: 'Duration of one webhook POST, by outcome.',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    deliveryLatency: new Histogram({
      name: 'threadline_webhook_delivery_latency_seconds',
      help: 'From enqueueing a webhook to its successful delivery, retries included.',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
      registers: [registry],
    }),
    backlog: new Gauge({
      name: 'threadline_webhook_outbox_backlog',
      help: 'Deliveries pending in the outbox (due now or waiting for a retry).',
      registers: [registry],
      async collect() {
        // A scrape while Postgres is away keeps the last value rather than failing /metrics.
        await countBacklog().then(
          (count) => this.set(count),
          () => {},
        );
      },
    }),
  };
}

export type WebhookMetrics = ReturnType<typeof createWebhookMetrics>;
