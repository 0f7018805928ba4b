import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The webhook service's own metrics, registered on the service's registry. */
export function createWebhookMetrics(
  registry: Registry,
  counts: { backlog: () => Promise<number>; openCircuits: () => Promise<number> },
) {
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
      help: 'Webhooks delivered (answered with a 2xx).',
      registers: [registry],
    }),
    failures: new Counter({
      name: 'threadline_webhook_delivery_failures_total',
      help: 'Failed attempts: a non-2xx answer, a timeout or a network error.',
      registers: [registry],
    }),
    retries: new Counter({
      name: 'threadline_webhook_retries_total',
      help: 'Failed attempts scheduled to be tried again.',
      registers: [registry],
    }),
    deadLetters: new Counter({
      name: 'threadline_webhook_dead_letters_total',
      help: 'Deliveries given up after their last attempt (status dead, last error kept).',
      registers: [registry],
    }),
    attemptDuration: new Histogram({
      name: 'threadline_webhook_attempt_duration_seconds',
      help: 'Duration of one webhook POST, by outcome (delivered or failed).',
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
        await counts.backlog().then(
          (count) => this.set(count),
          () => {},
        );
      },
    }),
    circuitsOpened: new Counter({
      name: 'threadline_webhook_circuit_opened_total',
      help: 'Times an endpoint circuit opened (failures in a row, or a failed probe).',
      registers: [registry],
    }),
    openCircuits: new Gauge({
      name: 'threadline_webhook_open_circuits',
      help: 'Endpoints whose circuit is open or half-open: their deliveries wait.',
      registers: [registry],
      async collect() {
        await counts.openCircuits().then(
          (count) => this.set(count),
          () => {},
        );
      },
    }),
  };
}

export type WebhookMetrics = ReturnType<typeof createWebhookMetrics>;
