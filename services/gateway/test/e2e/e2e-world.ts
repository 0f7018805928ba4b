import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import {
  type AccountsDatabase,
  accountsSchema,
  type CreatedAgent,
  createAgent,
  createClient,
  createOrganization,
  migrateAccounts,
} from '@threadline/accounts';
import { createDatabase, type Kysely } from '@threadline/postgres';
import { pushPositionKey } from '@threadline/protocol';
import { RtmClient, requestCustomerToken } from '@threadline/sdk';
import {
  createTestDatabase,
  type Platform,
  startPlatform,
  uniqueNamespace,
} from '@threadline/testkit';
import { testInfrastructure } from '@threadline/testkit/testing';
import { loadGatewayConfig } from '../../src/config.ts';
import { type RunningGateway, startGateway } from '../../src/gateway.ts';

const repositoryRoot = join(import.meta.dirname, '../../../..');

/**
 * The platform as processes on a database of its own, the accounts schema to set organizations up
 * directly, and RTM connections that are closed with it.
 */
export interface E2eWorld {
  accounts: Kysely<AccountsDatabase>;
  platform: Platform;
  /** Where the processes write their logs (`<service>-<replica>.log`). */
  logDir: string;
  /** Where clients connect: the platform's gateway processes, or the one in-process gateway. */
  gatewayUrls: string[];
  /** Logs the agent in over RTM on that gateway replica. */
  connectAgent(agent: CreatedAgent, gateway?: number): Promise<RtmClient>;
  /** A new customer (cookie grant) logged in over RTM on that gateway replica. */
  connectCustomer(
    organizationId: string,
    clientId: string,
    gateway?: number,
  ): Promise<{ socket: RtmClient; customerId: string }>;
  stop(): Promise<void>;
}

export async function startE2eWorld(options: {
  /** Names the directory of the processes' logs. */
  name: string;
  replicas: number;
  environment?: Record<string, string>;
  /**
   * Runs the gateway in the test's own process (one, with this environment) and the other
   * services as processes: a test can then watch the gateway's process itself (its unhandled
   * errors, its `Object.prototype`).
   */
  inProcessGateway?: Record<string, string>;
}): Promise<E2eWorld> {
  const infrastructure = testInfrastructure();
  const database = await createTestDatabase(infrastructure.databaseUrl);
  const accounts = createDatabase<AccountsDatabase>({
    url: database.url,
    schema: accountsSchema,
    poolSize: 2,
  });
  await migrateAccounts(accounts);
  const namespace = uniqueNamespace('e2e');
  const logDir = join(repositoryRoot, '.threadline/test-logs', `${options.name}-${Date.now()}`);
  const platform = await startPlatform({
    natsUrl: infrastructure.natsUrl,
    databaseUrl: database.url,
    namespace,
    replicas: options.replicas,
    ...(options.inProcessGateway ? { services: ['chat-store', 'router', 'webhook'] as const } : {}),
    logDir,
    environment: { LOG_LEVEL: 'warn', ...options.environment },
  });
  const inProcess: RunningGateway | undefined = options.inProcessGateway
    ? await startGateway(
        loadGatewayConfig({
          NATS_URL: infrastructure.natsUrl,
          DATABASE_URL: database.url,
          THREADLINE_NAMESPACE: namespace,
          HOST: '127.0.0.1',
          PORT: '0',
          HEALTH_PORT: '0',
          LOG_LEVEL: 'warn',
          ...options.inProcessGateway,
        }),
      )
    : undefined;
  const gatewayUrls = inProcess ? [inProcess.url] : platform.gatewayUrls;
  const sockets: RtmClient[] = [];
  const connect = async (api: 'agent' | 'customer', gateway: number, organizationId?: string) => {
    const socket = await RtmClient.connect({
      baseUrl: gatewayUrls[gateway]!,
      api,
      ...(organizationId ? { organizationId } : {}),
    });
    sockets.push(socket);
    return socket;
  };
  return {
    accounts,
    platform,
    logDir,
    gatewayUrls,
    async connectAgent(agent, gateway = 0) {
      const socket = await connect('agent', gateway);
      await socket.request('login', { token: `Basic ${agent.basicCredentials}` });
      return socket;
    },
    async connectCustomer(organizationId, clientId, gateway = 0) {
      const token = await requestCustomerToken(gatewayUrls[gateway]!, {
        grantType: 'cookie',
        clientId,
        organizationId,
      });
      const socket = await connect('customer', gateway, organizationId);
      await socket.request('login', { token: `Bearer ${token.access_token}` });
      return { socket, customerId: token.entity_id };
    },
    async stop() {
      await Promise.all(sockets.map((socket) => socket.close().catch(() => undefined)));
      await inProcess?.close();
      await platform.stop();
      await accounts.destroy();
      await database.drop();
    },
  };
}

/**
 * An organization with a widget client, and a way to add agents to it (`<local>@<name>.test`, in
 * the general group and `groups`).
 */
export async function createTeam(accounts: Kysely<AccountsDatabase>, name: string) {
  const created = await createOrganization(accounts, { name });
  const client = await createClient(accounts, { organizationId: created.id, name: 'Widget' });
  const agent = (local: string, role: 'owner' | 'normal', groups: number[] = []) =>
    createAgent(accounts, {
      organizationId: created.id,
      email: `${local}@${name.toLowerCase()}.test`,
      name: local,
      role,
      groups: [0, ...groups],
    });
  return { organizationId: created.id, clientId: client.id, agent };
}

/** Matches a push about the chat, whichever way its payload names it. */
export function isChat(chatId: string) {
  return (payload: Record<string, unknown>) =>
    payload.chat_id === chatId ||
    payload.id === chatId ||
    (payload.chat as { id?: string } | undefined)?.id === chatId;
}

/** A push payload without Threadline's resume position: what LiveChat defines (and webhooks carry). */
export function liveChatPayload(payload: unknown): unknown {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return payload;
  const { [pushPositionKey]: _position, ...rest } = payload as Record<string, unknown>;
  return rest;
}

export interface ReceivedWebhook {
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

/** A webhook receiver on loopback that answers 200 and keeps what it got, in arrival order. */
export function startWebhookReceiver(): Promise<{
  server: Server;
  url: string;
  received: ReceivedWebhook[];
}> {
  const received: ReceivedWebhook[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        headers: request.headers,
        body: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>,
      });
      response.writeHead(200).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ server, url: `http://127.0.0.1:${port}/hooks`, received });
    }),
  );
}
