import type { AddressInfo } from 'node:net';
import {
  type CommandHandler,
  connectBus,
  createSubjects,
  ensureStreams,
  registerConsumerLag,
  serveCommands,
} from '@threadline/bus';
import { RouterService } from '@threadline/contracts';
import { startGrpcServer } from '@threadline/grpc';
import { createDatabase, migrate, sql } from '@threadline/postgres';
import { ProtocolError } from '@threadline/protocol';
import {
  createMetricsRegistry,
  createReadiness,
  type Logger,
  startHealthServer,
} from '@threadline/runtime';
import { routerDurable, startChatEventsConsumer } from './adapters/nats/chat-events.consumer.ts';
import { createChatStoreClient } from './adapters/nats/chat-store.client.ts';
import {
  routerConfigurationDurable,
  startConfigurationConsumer,
} from './adapters/nats/configuration.consumer.ts';
import { startPresenceListener } from './adapters/nats/presence.listener.ts';
import { createPushPublisher } from './adapters/nats/push.publisher.ts';
import { createActiveThreads } from './adapters/postgres/active-threads.ts';
import { createAgentDirectory } from './adapters/postgres/agent-directory.ts';
import { createAgentSessions } from './adapters/postgres/agent-sessions.ts';
import type { RouterDatabase } from './adapters/postgres/database.ts';
import { migrations } from './adapters/postgres/migrations/index.ts';
import { createRoutingSettingsStore } from './adapters/postgres/routing-settings.ts';
import { createRoutingStore } from './adapters/postgres/routing-store.ts';
import { createSystemCommands } from './adapters/postgres/system-commands.ts';
import { applyRoutingSignals } from './application/chat-signals.ts';
import { type CommandDeps, createCommandHandler } from './application/commands.ts';
import {
  type AgentLossHandler,
  applyConfigurationChange,
} from './application/configuration-changes.ts';
import { startHousekeeping } from './application/housekeeping.ts';
import type { Clock } from './application/ports.ts';
import { createBackgroundWork } from './background.ts';
import type { RouterConfig } from './config.ts';
import { createRouterMetrics } from './metrics.ts';

export const schema = 'router';

export interface RunningRouter {
  grpcPort: number;
  healthPort: number;
  isReady(): Promise<boolean>;
  /** Stops taking work, finishes what is in hand, then closes connections. */
  stop(): Promise<void>;
}

const systemClock: Clock = { now: () => new Date() };

/**
 * The router's composition root: opens its connections, wires the application to them and starts
 * serving. `main.ts` runs it from the environment; tests run several in one process.
 */
export async function startRouter(
  config: RouterConfig,
  logger: Logger,
  options: { clock?: Clock; onAgentLost?: AgentLossHandler } = {},
): Promise<RunningRouter> {
  const subjects = createSubjects(config.namespace);
  const db = createDatabase<RouterDatabase>({
    url: config.postgres.url,
    schema,
    poolSize: config.postgres.poolSize,
  });
  const stoppers: (() => Promise<unknown>)[] = [() => db.destroy()];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) {
      await stop().catch((error: unknown) => logger.warn({ err: error }, 'error while stopping'));
    }
  };
  try {
    await migrate(db, schema, migrations);
    const bus = await connectBus({ url: config.nats.url, name: 'router' });
    stoppers.push(() => bus.connection.drain());
    await ensureStreams(bus.manager, subjects, { replicas: config.nats.streamReplicas });

    const store = createRoutingStore(db);
    const sessions = createAgentSessions(db);
    const settings = createRoutingSettingsStore(db);
    const registry = createMetricsRegistry('router');
    registerConsumerLag(registry, bus.manager, [
      { stream: subjects.chatStream, durable: routerDurable },
      { stream: subjects.configurationStream, durable: routerConfigurationDurable },
    ]);
    const metrics = createRouterMetrics(registry, () => store.countWaitingChats());
    const background = createBackgroundWork(logger);
    stoppers.push(() => background.settle());
    const deps: CommandDeps = {
      store,
      settings,
      activeThreads: createActiveThreads(db),
      systemCommands: createSystemCommands(db),
      chatStore: createChatStoreClient(bus.connection, subjects, {
        timeoutMs: config.assignTimeoutMs,
      }),
      pushes: createPushPublisher(bus, subjects, logger),
      sessions,
      disconnectGraceMs: config.disconnectGraceMs,
      clock: options.clock ?? systemClock,
      metrics: metrics.routing,
      logger,
      runInBackground: background.run,
    };

    const onUnexpected = (error: unknown) =>
      logger.error({ err: error }, 'unexpected error in a command');
    const handler = countCommands(createCommandHandler(deps), metrics.command);
    const subscription = serveCommands(
      bus.connection,
      subjects.routerExecute,
      'router',
      handler,
      onUnexpected,
    );
    stoppers.push(() => subscription.drain());

    const consumer = await startChatEventsConsumer({
      bus,
      subjects,
      logger,
      handle: (organizationId, signals) => applyRoutingSignals(deps, organizationId, signals),
      onSettled: metrics.batchSettled,
      ackWaitMs: config.chatEventsAckWaitMs,
    });
    stoppers.push(() => consumer.stop());
    const configurationConsumer = await startConfigurationConsumer({
      bus,
      subjects,
      streamReplicas: config.nats.streamReplicas,
      logger,
      apply: (change) =>
        applyConfigurationChange(
          {
            ...deps,
            directory: createAgentDirectory(db, deps.clock),
            onAgentLost:
              options.onAgentLost ??
              ((organizationId, agentId) =>
                sessions.markLost(organizationId, agentId, 'deleted', deps.clock.now())),
          },
          change,
        ),
    });
    stoppers.push(() => configurationConsumer.stop());
    const housekeeping = startHousekeeping(deps, {
      ...config.housekeeping,
      disconnectGraceMs: config.disconnectGraceMs,
      startedAt: deps.clock.now(),
    });
    const presence = startPresenceListener({
      connection: bus.connection,
      subjects,
      sessions,
      pushes: deps.pushes,
      clock: deps.clock,
      logger,
    });
    stoppers.push(() => presence.drain());
    stoppers.push(() => housekeeping.stop());

    let stopping = false;
    const readiness = createReadiness({
      'not stopping': () => !stopping,
      'nats round trip': () => bus.connection.rtt(),
      'postgres query': () => sql`SELECT 1`.execute(db),
      [`consumer ${routerDurable} running`]: () => consumer.running,
      [`consumer ${routerConfigurationDurable} running`]: () => configurationConsumer.running,
    });
    const { isReady } = readiness;
    // After the consumers, so gRPC health can ask the same readiness as /readyz from the start.
    const grpc = await startGrpcServer({
      port: config.grpcPort,
      services: [{ definition: RouterService, handlers: { execute: handler } }],
      isReady,
      onUnexpected,
    });
    stoppers.push(() => grpc.stop());
    const health = await startHealthServer({ port: config.healthPort, registry, readiness });
    stoppers.push(() => new Promise<void>((resolve) => health.close(() => resolve())));
    logger.info({ namespace: config.namespace, grpcPort: grpc.port }, 'router started');

    return {
      grpcPort: grpc.port,
      healthPort: (health.address() as AddressInfo).port,
      isReady,
      async stop() {
        stopping = true;
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

const routerActions = [
  'set_routing_status',
  'list_routing_statuses',
  'agent_connected',
  'agent_disconnected',
];

function countCommands(
  handler: CommandHandler,
  count: (action: string, outcome: string) => void,
): CommandHandler {
  return async (command) => {
    // Actions come from callers: unknown ones share one label so they cannot grow the series.
    const action = routerActions.includes(command.action) ? command.action : 'other';
    try {
      const payload = await handler(command);
      count(action, 'ok');
      return payload;
    } catch (error) {
      count(action, error instanceof ProtocolError ? error.type : 'internal');
      throw error;
    }
  };
}
