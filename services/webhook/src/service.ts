import type { Server } from 'node:http';
import {
  connectBus,
  createSubjects,
  ensureConfigurationStream,
  ensureStreams,
  registerConsumerLag,
  subscribeToErasureNotices,
} from '@threadline/bus';
import { openKeyRing } from '@threadline/personal-data';
import { createDatabase, migrate, sql } from '@threadline/postgres';
import {
  createMetricsRegistry,
  createReadiness,
  type Logger,
  startHealthServer,
} from '@threadline/runtime';
import type { Registry } from 'prom-client';
import { startBatchConsumer, webhookConsumerName } from './adapters/nats/batch-consumer.ts';
import {
  startConfigurationConsumer,
  webhookConfigurationConsumerName,
} from './adapters/nats/configuration-consumer.ts';
import { createBotOwnershipStore } from './adapters/postgres/bot-owners.ts';
import type { WebhookDatabase } from './adapters/postgres/database.ts';
import { countOpenCircuits } from './adapters/postgres/endpoints.ts';
import { redactCustomerDeliveries } from './adapters/postgres/erasure-redaction.ts';
import { migrations } from './adapters/postgres/migrations/index.ts';
import {
  countPending,
  createConfigurationFanOutStore,
  createFanOutStore,
} from './adapters/postgres/outbox.ts';
import type { Config } from './config.ts';
import { startDelivery } from './delivery.ts';
import { serveMethods } from './methods.ts';
import { createWebhookMetrics } from './metrics.ts';

export const databaseSchema = 'webhook';

export interface WebhookService {
  grpcPort: number;
  healthPort: number;
  registry: Registry;
  /** Stops taking work, lets in-flight deliveries settle, then closes every connection. */
  stop(): Promise<void>;
}

/**
 * Starts one webhook replica: Configuration API methods on NATS and gRPC, the durable consumers
 * that fan chat event batches and configuration changes out into the outbox, and the delivery
 * workers that empty it.
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
  const keys = await openKeyRing({
    url: config.postgres.url,
    masterKey: config.masterKey,
    logger,
  });
  const bus = await connectBus({ url: config.nats.url, name: 'webhook' });
  const subjects = createSubjects(config.namespace);
  await ensureStreams(bus.manager, subjects, { replicas: config.streamReplicas });
  // The gateway declares it too; whoever starts first creates it.
  await ensureConfigurationStream(bus.manager, subjects, { replicas: config.streamReplicas });

  const registry = createMetricsRegistry('webhook');
  registerConsumerLag(registry, bus.manager, [
    { stream: subjects.chatStream, durable: webhookConsumerName },
    { stream: subjects.configurationStream, durable: webhookConfigurationConsumerName },
  ]);
  const metrics = createWebhookMetrics(registry, {
    backlog: () => countPending(db),
    openCircuits: () => countOpenCircuits(db),
  });
  const delivery = startDelivery(config, db, metrics, logger);
  const consumer = await startBatchConsumer({
    bus,
    subjects,
    store: createFanOutStore(db),
    keys,
    logger,
    onFannedOut: (enqueued) => {
      metrics.batches.inc();
      metrics.enqueued.inc(enqueued);
      if (enqueued > 0) delivery.wake();
    },
  });

  const configurationConsumer = await startConfigurationConsumer({
    bus,
    subjects,
    store: createConfigurationFanOutStore(db),
    bots: createBotOwnershipStore(db),
    logger,
    onFannedOut: (enqueued) => {
      metrics.enqueued.inc(enqueued);
      if (enqueued > 0) delivery.wake();
    },
    async onCustomerErased(erasure) {
      keys.markErased(erasure.organizationId, erasure.customerId);
      const redacted = await redactCustomerDeliveries(db, erasure);
      logger.info(
        { organizationId: erasure.organizationId, redacted },
        'erased customer: deliveries redacted',
      );
    },
  });

  // Every replica drops an erased customer's key at once (the durable consumer reaches only one).
  const erasures = subscribeToErasureNotices(bus.connection, subjects.customerErasures, (notice) =>
    keys.markErased(notice.organizationId, notice.customerId),
  );

  let stopping = false;
  const readiness = createReadiness({
    'not stopping': () => !stopping,
    'nats round trip': () => bus.connection.rtt(),
    'postgres query': () => sql`SELECT 1`.execute(db),
    [`consumer ${webhookConsumerName} running`]: () => consumer.running,
    [`consumer ${webhookConfigurationConsumerName} running`]: () => configurationConsumer.running,
  });
  const { isReady } = readiness;
  // After the consumers, so gRPC health can ask the same readiness as /readyz from the start.
  const methods = await serveMethods({
    bus,
    subjects,
    grpcPort: config.grpc.port,
    db,
    allowedNetworks: config.delivery.allowedNetworks,
    metrics,
    logger,
    isReady,
  });
  const health = await startHealthServer({ port: config.health.port, registry, readiness });
  logger.info(
    { namespace: config.namespace, grpcPort: methods.grpcPort, healthPort: portOf(health) },
    'webhook service started',
  );

  return {
    grpcPort: methods.grpcPort,
    healthPort: portOf(health),
    registry,
    async stop() {
      stopping = true;
      erasures.unsubscribe();
      await methods.stop();
      await consumer.stop();
      await configurationConsumer.stop();
      await delivery.stop();
      await new Promise<void>((resolve) => health.close(() => resolve()));
      await bus.connection.drain();
      await db.destroy();
      await keys.close();
    },
  };
}

function portOf(server: Server): number {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}
