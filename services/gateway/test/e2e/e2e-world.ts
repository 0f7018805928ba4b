import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import {
  type AccountsDatabase,
  accountsSchema,
  type CreatedAgent,
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

const repositoryRoot = join(import.meta.dirname, '../../../..');

/**
 * The platform as processes on a database of its own, the accounts schema to set organizations up
 * directly, and RTM connections that are closed with it.
 */
export interface E2eWorld {
  accounts: Kysely<AccountsDatabase>;
  platform: Platform;
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
}): Promise<E2eWorld> {
  const infrastructure = testInfrastructure();
  const database = await createTestDatabase(infrastructure.databaseUrl);
  const accounts = createDatabase<AccountsDatabase>({
    url: database.url,
    schema: accountsSchema,
    poolSize: 2,
  });
  await migrateAccounts(accounts);
  const platform = await startPlatform({
    natsUrl: infrastructure.natsUrl,
    databaseUrl: database.url,
    namespace: uniqueNamespace('e2e'),
    replicas: options.replicas,
    logDir: join(repositoryRoot, '.threadline/test-logs', `${options.name}-${Date.now()}`),
    environment: { LOG_LEVEL: 'warn', ...options.environment },
  });
  const sockets: RtmClient[] = [];
  const connect = async (api: 'agent' | 'customer', gateway: number, organizationId?: string) => {
    const socket = await RtmClient.connect({
      baseUrl: platform.gatewayUrls[gateway]!,
      api,
      ...(organizationId ? { organizationId } : {}),
    });
    sockets.push(socket);
    return socket;
  };
  return {
    accounts,
    platform,
    async connectAgent(agent, gateway = 0) {
      const socket = await connect('agent', gateway);
      await socket.request('login', { token: `Basic ${agent.basicCredentials}` });
      return socket;
    },
    async connectCustomer(organizationId, clientId, gateway = 0) {
      const token = await requestCustomerToken(platform.gatewayUrls[gateway]!, {
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
      await platform.stop();
      await accounts.destroy();
      await database.drop();
    },
  };
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
