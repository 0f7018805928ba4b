import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type Bus, callService, connectBus, createSubjects, type Subjects } from '@threadline/bus';
import { ChatEventBatch, Command, Notification } from '@threadline/contracts';
import { createDatabase, type Kysely } from '@threadline/postgres';
import { createLogger } from '@threadline/runtime';
import {
  createTestDatabase,
  localWebhookNetworks,
  type TestDatabase,
  uniqueNamespace,
} from '@threadline/testkit';
import { testInfrastructure } from '@threadline/testkit/testing';
import type { WebhookDatabase } from '../src/adapters/postgres/database.ts';
import { loadConfig } from '../src/config.ts';
import { startWebhookService, type WebhookService } from '../src/service.ts';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

export interface Receiver {
  url: string;
  received: ReceivedWebhook[];
  close(): Promise<void>;
}

/**
 * A local HTTP endpoint standing in for an integration's webhook URL. `answer` decides each
 * response by the request's number (0-based): a status, a status after a delay, or 'hang' to
 * never answer.
 */
export async function startReceiver(
  answer: (
    index: number,
    body: string,
  ) => number | 'hang' | { status: number; afterMs: number; body?: string } = () => 200,
): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const index = received.length;
      received.push({
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
      });
      const status = answer(index, received[index]?.body ?? '');
      if (typeof status === 'number') response.writeHead(status).end();
      else if (status !== 'hang') {
        setTimeout(() => response.writeHead(status.status).end(status.body), status.afterMs);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Cluster {
  namespace: string;
  subjects: Subjects;
  database: TestDatabase;
  /** The service's own tables, to look at the outbox. */
  db: Kysely<WebhookDatabase>;
  bus: Bus;
  services: WebhookService[];
  environment: Record<string, string>;
  startReplica(): Promise<WebhookService>;
  stop(): Promise<void>;
}

/** Two webhook replicas on their own namespace and database, and a NATS client for the test. */
export async function startCluster(environment: Record<string, string> = {}): Promise<Cluster> {
  const { natsUrl, databaseUrl } = testInfrastructure();
  const database = await createTestDatabase(databaseUrl, 'tl_webhook');
  const namespace = uniqueNamespace('wh');
  const env = {
    NATS_URL: natsUrl,
    DATABASE_URL: database.url,
    THREADLINE_NAMESPACE: namespace,
    HEALTH_PORT: '0',
    GRPC_PORT: '0',
    WEBHOOK_DELIVERY_TIMEOUT_MS: '500',
    WEBHOOK_BACKOFF_BASE_MS: '50',
    WEBHOOK_BACKOFF_MAX_MS: '200',
    WEBHOOK_MAX_ATTEMPTS: '4',
    WEBHOOK_POLL_INTERVAL_MS: '200',
    WEBHOOK_ALLOWED_NETWORKS: localWebhookNetworks,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    ...environment,
  };
  const config = loadConfig(env);
  const startReplica = () => startWebhookService(config, createLogger('webhook', config.logLevel));
  // Started together, as a rollout would: migrations and consumer creation race on purpose.
  const services = await Promise.all([startReplica(), startReplica()]);
  const bus = await connectBus({ url: natsUrl, name: 'webhook-test' });
  const db = createDatabase<WebhookDatabase>({ url: database.url, schema: 'webhook', poolSize: 2 });
  return {
    db,
    namespace,
    subjects: createSubjects(namespace),
    database,
    bus,
    services,
    environment: env,
    startReplica,
    async stop() {
      await Promise.all(services.map((service) => service.stop()));
      await bus.connection.drain();
      await db.destroy();
      await database.drop();
    },
  };
}

/** Calls a Configuration API method the way the gateway does, in API `apiVersion`. */
export function configure(
  cluster: Cluster,
  organizationId: string,
  action: string,
  payload: Record<string, unknown>,
  apiVersion = '3.6',
): Promise<unknown> {
  return callService(
    cluster.bus.connection,
    cluster.subjects.webhookExecute,
    aCommand(organizationId, action, payload, apiVersion),
  );
}

export function aCommand(
  organizationId: string,
  action: string,
  payload: Record<string, unknown>,
  apiVersion = '3.6',
): Command {
  return Command.fromPartial({
    commandId: randomUUID(),
    requester: { organizationId, userId: 'owner@example.com', userType: 'agent', role: 'owner' },
    action,
    payloadJson: JSON.stringify(payload),
    apiVersion,
    issuedAt: new Date().toISOString(),
  });
}

/** Registers a license webhook (in API 3.6 unless told) and enables license webhooks for its client. */
export async function registerEnabled(
  cluster: Cluster,
  organizationId: string,
  options: {
    url: string;
    action?: string;
    secretKey?: string;
    clientId?: string;
    apiVersion?: string;
  } & Record<string, unknown>,
): Promise<string> {
  const { url, action, secretKey, clientId, apiVersion, ...rest } = options;
  const owner = clientId ?? 'client-1';
  const payload = {
    action: action ?? 'incoming_event',
    secret_key: secretKey ?? 'top-secret',
    url,
    owner_client_id: owner,
    type: 'license',
    ...rest,
  };
  const { id } = (await configure(
    cluster,
    organizationId,
    'register_webhook',
    payload,
    apiVersion,
  )) as { id: string };
  await configure(cluster, organizationId, 'enable_license_webhooks', { owner_client_id: owner });
  return id;
}

let chatCounter = 0;

/** A chat's batch announcing one customer message, as chat-store appends it. */
export function aMessageBatch(
  organizationId: string,
  chatId = `CHAT${++chatCounter}`,
  version = 2,
) {
  const event = {
    id: `THREAD${chatCounter}_1`,
    type: 'message',
    text: `Hello ${version}`,
    author_id: 'customer-1',
    visibility: 'all',
    created_at: '2025-06-01T10:00:00.000000Z',
  };
  return ChatEventBatch.fromPartial({
    organizationId,
    chatId,
    version,
    commandId: randomUUID(),
    requester: { organizationId, userId: 'customer-1', userType: 'customer' },
    events: [
      { type: 'event_added', occurredAt: event.created_at, dataJson: JSON.stringify(event) },
    ],
    notifications: [
      Notification.fromPartial({
        action: 'incoming_event',
        payloadJson: JSON.stringify({ chat_id: chatId, thread_id: `THREAD${chatCounter}`, event }),
        recipientUserIds: ['customer-1', 'agent@example.com'],
        recipientGroupIds: [0],
      }),
    ],
  });
}

export async function publishBatch(cluster: Cluster, batch: ChatEventBatch): Promise<number> {
  const ack = await cluster.bus.jetstream.publish(
    cluster.subjects.chatEvents(batch.organizationId, batch.chatId),
    ChatEventBatch.encode(batch).finish(),
    { msgID: batch.commandId },
  );
  return ack.seq;
}

/** Waits until the shared consumer has handled and acknowledged everything in the stream. */
export async function waitForConsumerIdle(cluster: Cluster): Promise<void> {
  await waitFor(async () => {
    const info = await cluster.bus.manager.consumers.info(cluster.subjects.chatStream, 'webhook');
    return info.num_pending === 0 && info.num_ack_pending === 0;
  }, 'the webhook consumer to catch up');
}

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export const newOrganizationId = () => randomUUID();
