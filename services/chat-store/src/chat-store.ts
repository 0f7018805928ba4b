import type { Server } from 'node:http';
import {
  type Bus,
  type CommandHandler,
  connectBus,
  createSubjects,
  ensureConfigurationStream,
  ensureStreams,
  publishErasureNotice,
  registerConsumerLag,
  type Subjects,
  serveCommands,
  subscribeToErasureNotices,
} from '@threadline/bus';
import type { Command } from '@threadline/contracts';
import type { GrpcServer } from '@threadline/grpc';
import { type KeyRing, openKeyRing } from '@threadline/personal-data';
import { createDatabase, type Kysely, migrate, sql } from '@threadline/postgres';
import { newChatId, newThreadId, ProtocolError } from '@threadline/protocol';
import {
  createMetricsRegistry,
  createReadiness,
  type Logger,
  startHealthServer,
} from '@threadline/runtime';
import type { Registry } from 'prom-client';
import { startChatStoreGrpc } from './adapters/grpc/chat-store.grpc.ts';
import { type ChatPartitions, serveChatPartitions } from './adapters/nats/chat-partitions.ts';
import { createErasureAnnouncer } from './adapters/nats/erasure-announcer.ts';
import { createEventLog } from './adapters/nats/event-log.ts';
import { projectorDurableName, startProjector } from './adapters/nats/projector.ts';
import { createPushPublisher } from './adapters/nats/pushes.ts';
import { createQueuePlacesClient } from './adapters/nats/queue-places.client.ts';
import { createBatchSealer } from './adapters/personal-data/batch-sealer.ts';
import type { Database } from './adapters/postgres/database.ts';
import { migrations } from './adapters/postgres/migrations/index.ts';
import { chatIdsOfUser, createProjectionWriter } from './adapters/postgres/projection-writer.ts';
import { createReadModel } from './adapters/postgres/read-model.ts';
import { createCommandHandler } from './application/command-handler.ts';
import type { CommandContext } from './application/command-parsing.ts';
import { createChatReprojection, createCustomerErasure } from './application/erasure.ts';
import { openingProjections, sealingEventLog } from './application/personal-data.ts';
import { createPushReplay } from './application/push-replay.ts';
import { createQueryHandler } from './application/query-handler.ts';
import type { ChatStoreConfig } from './config.ts';
import { type ChatStoreMetrics, createChatStoreMetrics } from './metrics.ts';

export const schema = 'chat_store';
export const queueGroup = 'chat-store';

export interface ChatStoreDeps {
  bus: Bus;
  subjects: Subjects;
  db: Kysely<Database>;
  logger: Logger;
  metrics: ChatStoreMetrics;
  /** Customers' data keys: batches are stored with their personal data sealed. */
  keys: KeyRing;
  context?: CommandContext;
}

/**
 * chat-store's handlers over connections it is given: `execute` (commands) and `query` (reads).
 * Transport-free, so NATS, gRPC and tests call the same functions. Rebuilding the projections is
 * projection-rebuild.ts's, run by `src/tools/projections.ts`.
 */
export function createChatStore(deps: ChatStoreDeps) {
  const sealer = createBatchSealer(deps.keys);
  const eventLog = sealingEventLog(createEventLog(deps.bus, deps.subjects), sealer);
  const projections = openingProjections(createProjectionWriter(deps.db), sealer);
  // Replayed pushes are rebuilt from opened batches, as the live ones were.
  const replayPushes = createPushReplay(eventLog);
  const commands = createCommandHandler({
    eventLog,
    projections,
    pushes: createPushPublisher(deps.bus.connection, deps.subjects),
    metrics: deps.metrics.commands,
    logger: deps.logger,
    context: deps.context ?? { newChatId, newThreadId, now: () => new Date() },
    isErasedCustomer: sealer.isErased,
  });
  const reprojectChat = createChatReprojection(eventLog, projections, commands.forget);
  const eraseCustomer = createCustomerErasure({
    keys: deps.keys,
    chatIdsOfCustomer: (organizationId, customerId) =>
      chatIdsOfUser(deps.db, organizationId, customerId),
    reprojectChat,
    broadcast: (organizationId, customerId, chatIds) =>
      publishErasureNotice(deps.bus.connection, deps.subjects.customerErasures, {
        organizationId,
        customerId,
        chatIds,
      }),
    announce: createErasureAnnouncer(deps.bus, deps.subjects),
  });
  const execute: CommandHandler = (command) =>
    command.action === 'erase_customer' ? eraseCustomer(command) : commands.execute(command);
  const queries = createQueryHandler(
    createReadModel(deps.db),
    createQueuePlacesClient(deps.bus.connection, deps.subjects, deps.logger),
  );
  const query: CommandHandler = async (command) => {
    try {
      // The replay reads the event log, not the projections the other queries read.
      const result =
        command.action === 'replay_pushes'
          ? await replayPushes(command)
          : await queries.query(command);
      deps.metrics.queryFinished(command.action, 'success');
      return result;
    } catch (error) {
      deps.metrics.queryFinished(
        command.action,
        error instanceof ProtocolError ? error.type : 'internal',
      );
      throw error;
    }
  };
  return {
    execute,
    query,
    projections,
    reprojectChat,
    /** Another replica erased a customer: their key and chats' aggregates are no longer cached. */
    forgetErased(organizationId: string, customerId: string, chatIds: string[]): void {
      deps.keys.markErased(organizationId, customerId);
      for (const chatId of chatIds) commands.forget(organizationId, chatId);
    },
  };
}

export type ChatStore = ReturnType<typeof createChatStore>;

export interface RunningChatStore {
  store: ChatStore;
  bus: Bus;
  subjects: Subjects;
  db: Kysely<Database>;
  registry: Registry;
  /** The chat-affine partitions of commands this replica serves (bus/chat-affinity.ts). */
  partitions: ChatPartitions;
  grpcPort: number;
  healthPort: number;
  /** Stops taking work, lets in-flight commands finish, then closes servers and connections. */
  stop(): Promise<void>;
}

/** Starts the whole service: what main.ts runs, and what tests run in-process (ports 0 = any). */
export async function startChatStore(
  config: ChatStoreConfig,
  logger: Logger,
): Promise<RunningChatStore> {
  const subjects = createSubjects(config.namespace);
  const bus = await connectBus({ url: config.nats.url, name: 'chat-store' });
  await ensureStreams(bus.manager, subjects, { replicas: config.nats.streamReplicas });
  // Erasures are announced there (docs/erasure.md).
  await ensureConfigurationStream(bus.manager, subjects, { replicas: config.nats.streamReplicas });
  const db = createDatabase<Database>({
    url: config.postgres.url,
    schema,
    poolSize: config.postgres.poolSize,
  });
  await migrate(db, schema, migrations);
  const keys = await openKeyRing({
    url: config.postgres.url,
    masterKey: config.masterKey,
    logger,
  });
  const registry = createMetricsRegistry('chat-store');
  registerConsumerLag(registry, bus.manager, [
    { stream: subjects.chatStream, durable: projectorDurableName },
  ]);
  const metrics = createChatStoreMetrics(registry);
  const store = createChatStore({ bus, subjects, db, logger, metrics, keys });
  const inFlight = trackInFlight();
  const onUnexpected = (error: unknown, command?: Command) =>
    logger.error(
      { err: error, action: command?.action, commandId: command?.commandId },
      'unexpected failure',
    );
  const execute = inFlight.wrap(store.execute);
  const query = inFlight.wrap(store.query);
  const subscriptions = [
    subscribeToErasureNotices(bus.connection, subjects.customerErasures, (notice) =>
      store.forgetErased(notice.organizationId, notice.customerId, notice.chatIds),
    ),
    // New chats, callers that name no chat, and partitions nobody serves for a moment.
    serveCommands(bus.connection, subjects.chatStoreExecute, queueGroup, execute, onUnexpected),
    serveCommands(bus.connection, subjects.chatStoreQuery, queueGroup, query, onUnexpected),
  ];
  const partitions = serveChatPartitions({
    connection: bus.connection,
    subjects,
    queue: queueGroup,
    handler: execute,
    onUnexpected,
  });
  const projector = await startProjector({
    bus,
    subjects,
    store: store.projections,
    logger,
    onOutcome: metrics.projectorOutcome,
  });
  let stopping = false;
  const readiness = createReadiness({
    'not stopping': () => !stopping,
    'nats round trip': () => bus.connection.rtt(),
    'postgres query': () => sql`SELECT 1`.execute(db),
  });
  const { isReady } = readiness;
  const grpc = await startChatStoreGrpc({
    port: config.grpcPort,
    execute,
    query,
    isReady,
    onUnexpected,
  });
  const health = await startHealthServer({ port: config.healthPort, registry, readiness });
  logger.info(
    { namespace: config.namespace, grpcPort: grpc.port, healthPort: portOf(health) },
    'chat-store started',
  );
  return {
    store,
    bus,
    subjects,
    db,
    registry,
    partitions,
    grpcPort: grpc.port,
    healthPort: portOf(health),
    async stop() {
      stopping = true;
      // gRPC with the rest: its health turns NOT_SERVING as soon as shutdown begins.
      await Promise.all([
        partitions.stop(),
        ...subscriptions.map((subscription) => subscription.drain()),
        grpc.stop(),
      ]);
      await inFlight.settled();
      await projector.stop();
      await bus.connection.drain();
      await db.destroy();
      await keys.close();
      await new Promise<void>((resolve) => health.close(() => resolve()));
    },
  };
}

/** Counts running handler calls so shutdown can wait for them before closing connections. */
function trackInFlight() {
  let running = 0;
  let idle: (() => void) | undefined;
  return {
    wrap(handler: CommandHandler): CommandHandler {
      return async (command) => {
        running++;
        try {
          return await handler(command);
        } finally {
          running--;
          if (running === 0) idle?.();
        }
      };
    },
    settled(): Promise<void> {
      return running === 0 ? Promise.resolve() : new Promise((resolve) => (idle = resolve));
    },
  };
}

function portOf(server: Server): number {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

export type { GrpcServer };
