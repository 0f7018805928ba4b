import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AccountsDatabase,
  accountsSchema,
  deleteExpiredIdempotentRequests,
  deleteExpiredTokens,
  findClient,
  migrateAccounts,
} from '@threadline/accounts';
import { connectBus, createSubjects, ensureConfigurationStream } from '@threadline/bus';
import { createDatabase, sql } from '@threadline/postgres';
import {
  createLogger,
  createMetricsRegistry,
  createReadiness,
  type Logger,
  startHealthServer,
} from '@threadline/runtime';
import type { Registry } from 'prom-client';
import { createHttpHandlers } from './adapters/http/server.ts';
import { createConfigurationChanges } from './adapters/nats/configuration-changes.ts';
import { shareConnectionCounts, shareRateWindows } from './adapters/nats/count-sharing.ts';
import { createFileStore } from './adapters/nats/file-store.ts';
import { startPresenceHeartbeat } from './adapters/nats/presence-heartbeat.ts';
import { createPushHub } from './adapters/nats/push-hub.ts';
import { createPushPublisher } from './adapters/nats/push-publisher.ts';
import { createNatsServices } from './adapters/nats/services.ts';
import { createIdempotencyStore } from './adapters/postgres/idempotency-store.ts';
import { createPresence } from './adapters/ws/presence.ts';
import { createRtmServer } from './adapters/ws/rtm-server.ts';
import { createOriginCheck } from './application/allowed-origins.ts';
import { withBatches } from './application/batches.ts';
import { createDispatcher } from './application/dispatcher.ts';
import { createFileEventPreparer, createFileLinks } from './application/files.ts';
import { createGreetingOffers } from './application/greeting-offers.ts';
import { withIdempotency } from './application/idempotency.ts';
import { withMethodTimings } from './application/method-timings.ts';
import { createLocalMethods } from './application/methods/index.ts';
import { admitEverything, type RateLimiter } from './application/ports.ts';
import { createPropertyCheck } from './application/property-check.ts';
import { createRateLimiter } from './application/rate-limits.ts';
import { createSessionRegistry } from './application/rtm-sessions.ts';
import { createGroupStatuses } from './application/sessions.ts';
import { createTagCheck } from './application/tag-check.ts';
import { createUserReferenceCheck } from './application/user-reference-check.ts';
import { withVersionTranslation } from './application/versions/versioned-dispatch.ts';
import type { GatewayConfig } from './config.ts';
import { ConnectionCounts } from './domain/connection-counts.ts';
import { RateWindows } from './domain/rate-windows.ts';
import { createGatewayMetrics, methodLabel } from './metrics.ts';

const tokenSweepIntervalMs = 15 * 60 * 1000;
/**
 * How often a gateway reports all its users' connection counts, not only the changed ones; a
 * peer's count not repeated for three of these is dropped (its gateway is gone).
 */
const connectionsFullReportMs = 5_000;

export interface GatewayOptions {
  logger?: Logger;
  registry?: Registry;
  /** Replaces the configured rate limits (`RATE_LIMITS`). */
  rateLimiter?: RateLimiter;
}

export interface RunningGateway {
  /** `http://host:port` of the Web API, token endpoint and RTM. */
  url: string;
  port: number;
  healthPort: number;
  isReady(): Promise<boolean>;
  /** Graceful stop: refuse new work, tell RTM clients why they go, drain NATS, close the pool. */
  close(): Promise<void>;
}

/**
 * Starts a gateway: migrates the accounts schema, connects NATS, serves HTTP + RTM on the main
 * port and probes on the health port. Tests run it in-process; main.ts runs it from the env.
 */
export async function startGateway(
  config: GatewayConfig,
  options: GatewayOptions = {},
): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger('gateway', config.logLevel);
  const registry = options.registry ?? createMetricsRegistry('gateway');
  const metrics = createGatewayMetrics(registry);
  const db = createDatabase<AccountsDatabase>({
    url: config.postgres.url,
    schema: accountsSchema,
    poolSize: config.postgres.poolSize,
  });
  await migrateAccounts(db);
  const bus = await connectBus({ url: config.nats.url, name: 'gateway' });
  const { connection } = bus;
  const subjects = createSubjects(config.namespace);
  const services = createNatsServices(connection, config.requestTimeoutMs);
  const files = await createFileStore(connection, subjects.filesBucket);
  const sessionRegistry = createSessionRegistry();
  const pushes = createPushPublisher(connection, subjects);
  await ensureConfigurationStream(bus.manager, subjects, { replicas: config.nats.streamReplicas });
  const configurationChanges = createConfigurationChanges(bus, subjects, logger, () =>
    metrics.configurationPublishFailures.inc(),
  );
  if (config.fileLinkKeys[0].id === 'development') {
    logger.warn('FILE_LINK_KEYS is not set: signing file links with the development key');
  }
  const fileLinks = createFileLinks(config.fileLinkKeys);
  const prepareFiles = createFileEventPreparer(files, fileLinks);
  const checkTags = createTagCheck(db);
  const checkUserReferences = createUserReferenceCheck(db);
  const checkProperties = createPropertyCheck(db);
  // Names this process to the router (its agents' sessions are this gateway's until it stops)
  // and to the other gateways (whose rate-limit counts it adds to its own).
  const gatewayId = randomUUID();
  const limits = startRateLimits(config, options, {
    connection,
    subject: subjects.gatewayRateCounts,
    replicaId: gatewayId,
    logger,
    onRefused: (kind) => metrics.limitRefusals.inc({ limit: kind }),
  });
  const userConnections = new ConnectionCounts(config.rtm.maxConnectionsPerUser, {
    fullReportMs: connectionsFullReportMs,
    ttlMs: 3 * connectionsFullReportMs,
  });
  const connectionSharing = shareConnectionCounts({
    connection,
    subject: subjects.gatewayConnectionCounts,
    replicaId: gatewayId,
    intervalMs: config.rateLimits.shareIntervalMs,
    logger,
    counts: userConnections,
  });
  const originCheck = createOriginCheck({
    db,
    cacheMs: config.allowedDomainsCacheMs,
    onRefused: () => metrics.limitRefusals.inc({ limit: 'origin' }),
  });
  const greetings = createGreetingOffers({
    db,
    services,
    subjects,
    logger,
    pushes,
    sessions: sessionRegistry,
  });
  const dispatch = withIdempotency(
    withVersionTranslation(
      withBatches(
        createDispatcher({
          subjects,
          services,
          rateLimiter: limits.rateLimiter,
          clientBelongsTo: async (clientId, organizationId) =>
            (await findClient(db, clientId))?.organizationId === organizationId,
          localMethods: createLocalMethods({
            db,
            services,
            subjects,
            logger,
            pushes,
            sessions: sessionRegistry,
            files,
            fileLinks,
            configurationChanges,
            greetings,
            originCheck,
          }),
          preparePayload: async (method, identity, payload) => {
            const organizationId = identity?.organizationId;
            const checked = await checkUserReferences(
              method,
              organizationId,
              await checkProperties(method, identity, payload),
            );
            return checkTags(
              method,
              organizationId,
              await prepareFiles(method, organizationId, checked),
            );
          },
        }),
        logger,
      ),
    ),
    {
      store: createIdempotencyStore(db),
      windowMs: config.idempotencyWindowMs,
      // A request still running after the services' timeout died with its gateway.
      leaseMs: config.requestTimeoutMs + 5_000,
      onStoreError: (error) => logger.warn({ err: error }, 'recording a request outcome failed'),
    },
  );
  const timedDispatch = withMethodTimings(dispatch, metrics.methodDuration, methodLabel);
  const pushHub = createPushHub(connection, subjects, logger, (count) =>
    metrics.pushSubscriptions.set(count),
  );
  const presence = createPresence();
  const rtm = createRtmServer({
    settings: config.rtm,
    sessions: {
      db,
      services,
      subjects,
      logger,
      greetings,
      gatewayId,
      groupStatuses: createGroupStatuses(),
    },
    dispatch: timedDispatch,
    pushHub,
    presence,
    sessionRegistry,
    metrics,
    maxFrameBytes: config.http.maxBodyBytes,
    rateLimiter: limits.rateLimiter,
    userConnections,
    clientIpHeader: config.clientIpHeader,
  });

  let stopping = false;
  const readiness = createReadiness({
    'not stopping': () => !stopping,
    'nats round trip': () => connection.rtt(),
    'postgres query': () => sql`SELECT 1`.execute(db),
  });
  const { isReady } = readiness;
  const http = createHttpHandlers({
    db,
    configurationChanges,
    dispatch: timedDispatch,
    rtm,
    config,
    health: { readiness, registry },
    metrics,
    logger,
    files,
    fileLinks,
    rateLimiter: limits.rateLimiter,
    originCheck,
  });
  const server = createServer(http.handleRequest);
  server.on('upgrade', http.handleUpgrade);
  await listen(server, config.http.port, config.http.host);
  const health = await startHealthServer({
    port: config.healthPort,
    host: config.http.host,
    readiness,
    registry,
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host;
  logger.info({ port, healthPort: (health.address() as AddressInfo).port }, 'gateway listening');

  const heartbeat = startPresenceHeartbeat({
    connection,
    subjects,
    gatewayId,
    presence,
    intervalMs: config.presenceHeartbeatMs,
    logger,
  });

  // Expired bearer tokens no longer authenticate; sweeping them only keeps the table small.
  const sweeper = setInterval(() => {
    deleteExpiredTokens(db).catch((error: unknown) => logger.warn({ err: error }, 'token sweep'));
    deleteExpiredIdempotentRequests(db).catch((error: unknown) =>
      logger.warn({ err: error }, 'idempotent request sweep'),
    );
  }, tokenSweepIntervalMs);
  sweeper.unref();

  let closing: Promise<void> | undefined;
  async function close(): Promise<void> {
    stopping = true;
    clearInterval(sweeper);
    heartbeat.stop();
    limits.stop();
    const stopped = closeServer(server);
    await rtm.close(config.shutdownGraceMs);
    connectionSharing.stop();
    greetings.close();
    server.closeIdleConnections();
    const forced = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
    await stopped;
    clearTimeout(forced);
    await connection.drain().catch((error: unknown) => logger.warn({ err: error }, 'NATS drain'));
    await closeServer(health);
    await db.destroy();
  }

  return {
    url: `http://${host}:${port}`,
    port,
    healthPort: (health.address() as AddressInfo).port,
    isReady,
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}

/** The configured rate limiter, sharing its counts with the other gateways while it runs. */
function startRateLimits(
  config: GatewayConfig,
  options: GatewayOptions,
  sharing: Omit<Parameters<typeof shareRateWindows>[0], 'windows' | 'intervalMs'> & {
    onRefused: Parameters<typeof createRateLimiter>[2];
  },
): { rateLimiter: RateLimiter; stop(): void } {
  const settings = config.rateLimits;
  if (options.rateLimiter) return { rateLimiter: options.rateLimiter, stop: () => {} };
  if (!settings.enabled) return { rateLimiter: admitEverything, stop: () => {} };
  const windows = new RateWindows(settings.windowMs);
  const shared = shareRateWindows({ ...sharing, windows, intervalMs: settings.shareIntervalMs });
  return {
    rateLimiter: createRateLimiter(windows, settings, sharing.onRefused),
    stop: shared.stop,
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
