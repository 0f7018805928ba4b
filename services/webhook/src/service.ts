import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import {
  type CommandHandler,
  connectBus,
  createSubjects,
  ensureStreams,
  serveCommands,
} from '@threadline/bus';
import { WebhooksService } from '@threadline/contracts';
import { startGrpcServer } from '@threadline/grpc';
import { createDatabase, isDatabaseReady, migrate } from '@threadline/postgres';
import { ProtocolError } from '@threadline/protocol';
import { createMetricsRegistry, type Logger, startHealthServer } from '@threadline/runtime';
import type { Registry } from 'prom-client';
import { sendWebhook } from './adapters/http/webhook-sender.ts';
import { startBatchConsumer } from './adapters/nats/batch-consumer.ts';
import type { WebhookDatabase } from './adapters/postgres/database.ts';
import { listenForNotifications } from './adapters/postgres/listener.ts';
import { migrations } from './adapters/postgres/migrations/index.ts';
import {
  countPending,
  createDeliveryQueue,
  createFanOutStore,
  deliveriesChannel,
  pruneSettled,
} from './adapters/postgres/outbox.ts';
import { createRegistrationStore } from './adapters/postgres/registrations.ts';
import { createCommandHandler } from './application/commands.ts';
import { startDeliveryWorker } from './application/delivery-worker.ts';
import type { Config } from './config.ts';
import { createWebhookMetrics, type WebhookMetrics } from './metrics.ts';

export const databaseSchema = 'webhook';

const pruneIntervalMs = 10 * 60_000;

export interface WebhookService {
  grpcPort: number;
  healthPort: number;
  registry: Registry;
  /** Stops taking work, lets in-flight deliveries settle, then closes every connection. */
  stop(): Promise<void>;
}

/**
 * Starts one webhook replica: Configuration API methods on NATS and gRPC, the durable consumer
 * that fans chat event batches out into the outbox, and the delivery workers that empty it.
 */
export async function startWebhookService(
  config: Readonly<Config>,
  logger: Logger,
): Promise<WebhookService> {
  const db = createDatabase<WebhookDatabase>({
    url: config.postgres.url,
    schema: databaseSchema,
    poolSize: config.postgres.poolSize,
  });
  await migrate(db, databaseSchema, migrations);
  const bus = await connectBus({ url: config.nats.url, name: 'webhook' });
  const subjects = createSubjects(config.namespace);
  await ensureStreams(bus.manager, subjects, { replicas: config.streamReplicas });

  const registry = createMetricsRegistry('webhook');
  const metrics = createWebhookMetrics(registry, () => countPending(db));
  const onUnexpected = (error: unknown) => logger.error({ err: error }, 'command failed');
  const handler = instrument(
    createCommandHandler({
      store: createRegistrationStore(db),
      newId: () => randomBytes(16).toString('hex'),
    }),
    metrics,
  );
  const subscription = serveCommands(
    bus.connection,
    subjects.webhookExecute,
    'webhook',
    handler,
    onUnexpected,
  );
  const grpc = await startGrpcServer({
    port: config.grpc.port,
    services: [{ definition: WebhooksService, handlers: { execute: handler } }],
    onUnexpected,
  });

  const worker = startDeliveryWorker({
    queue: createDeliveryQueue(db),
    send: sendWebhook,
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
  const consumer = await startBatchConsumer({
    bus,
    subjects,
    store: createFanOutStore(db),
    logger,
    onFannedOut: (enqueued) => {
      metrics.batches.inc();
      metrics.enqueued.inc(enqueued);
      if (enqueued > 0) worker.wake();
    },
  });

  const pruning = setInterval(() => {
    pruneSettled(db, config.delivery.retentionMs).then(
      (pruned) => pruned > 0 && logger.info({ pruned }, 'pruned settled deliveries'),
      (error: unknown) => logger.warn({ err: error }, 'pruning deliveries failed'),
    );
  }, pruneIntervalMs);
  pruning.unref();

  let stopping = false;
  const health = await startHealthServer({
    port: config.health.port,
    registry,
    isReady: async () =>
      !stopping && !bus.connection.isClosed() && consumer.running && isDatabaseReady(db),
  });
  logger.info(
    { namespace: config.namespace, grpcPort: grpc.port, healthPort: portOf(health) },
    'webhook service started',
  );

  return {
    grpcPort: grpc.port,
    healthPort: portOf(health),
    registry,
    async stop() {
      stopping = true;
      clearInterval(pruning);
      await grpc.stop();
      subscription.unsubscribe();
      await consumer.stop();
      await worker.stop();
      await listener.stop();
      await new Promise<void>((resolve) => health.close(() => resolve()));
      await bus.connection.drain();
      await db.destroy();
    },
  };
}

/** Counts every method call by action and outcome (`ok` or the protocol error type). */
function instrument(handler: CommandHandler, metrics: WebhookMetrics): CommandHandler {
  return async (command) => {
    try {
      const result = await handler(command);
      metrics.commands.inc({ action: command.action, outcome: 'ok' });
      return result;
    } catch (error) {
      const outcome = error instanceof ProtocolError ? error.type : 'internal';
      metrics.commands.inc({ action: command.action, outcome });
      throw error;
    }
  };
}

function portOf(server: Server): number {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}
