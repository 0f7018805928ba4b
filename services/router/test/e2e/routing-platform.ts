import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  type Bus,
  callService,
  connectBus,
  createSubjects,
  readSubject,
  subjectToken,
} from '@threadline/bus';
import { ChatEventBatch, Command, Requester } from '@threadline/contracts';
import { createDatabase, type Kysely } from '@threadline/postgres';
import { createLogger } from '@threadline/runtime';
import {
  createTestDatabase,
  type Platform,
  startPlatform,
  type TestDatabase,
  uniqueNamespace,
} from '@threadline/testkit';
import { testInfrastructure } from '@threadline/testkit/testing';
import type { RouterDatabase } from '../../src/adapters/postgres/database.ts';
import type { Clock } from '../../src/application/ports.ts';
import { configSchema } from '../../src/config.ts';
import { type RunningRouter, startRouter } from '../../src/router.ts';
import { publishConfigurationChange } from '../configuration-changes.ts';
import { type ChatLog, foldChatLog } from './chat-log.ts';

const repositoryRoot = join(import.meta.dirname, '../../../..');

/**
 * chat-store and the router as processes, two replicas each, on real NATS and Postgres: what
 * routing at scale and a router crash are tested on. Driven on the services' real subjects as
 * the gateway drives them (the gateway adds nothing to routing, and 1,000 sockets would cost
 * more than the routing under test on two cores).
 */
export async function startRoutingPlatform(
  options: {
    /**
     * Routers in this process on this clock (timers move as the test moves it), two of them;
     * without it the routers are processes on the wall clock like chat-store.
     */
    routerClock?: Clock;
  } = {},
) {
  const infrastructure = testInfrastructure();
  const database: TestDatabase = await createTestDatabase(infrastructure.databaseUrl, 'tl_route');
  const namespace = uniqueNamespace('route');
  const environment = {
    LOG_LEVEL: 'warn',
    // A killed replica's batches move to the other one after this (the default is 30 s).
    CHAT_EVENTS_ACK_WAIT_MS: '5000',
    HOUSEKEEPING_INTERVAL_MS: '500',
    ASSIGNMENT_RETRY_AFTER_MS: '2000',
  };
  const platform: Platform = await startPlatform({
    natsUrl: infrastructure.natsUrl,
    databaseUrl: database.url,
    namespace,
    replicas: 2,
    services: options.routerClock ? ['chat-store'] : ['chat-store', 'router'],
    logDir: join(repositoryRoot, '.threadline/test-logs', `routing-${Date.now()}`),
    environment,
  }).catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });
  const routers: RunningRouter[] = [];
  if (options.routerClock) {
    const config = configSchema.parse({
      ...environment,
      NATS_URL: infrastructure.natsUrl,
      DATABASE_URL: database.url,
      THREADLINE_NAMESPACE: namespace,
      HEALTH_PORT: '0',
      GRPC_PORT: '0',
      HOUSEKEEPING_INTERVAL_MS: '200',
    });
    const logger = createLogger('router-e2e', 'silent');
    for (const _replica of [1, 2]) {
      routers.push(await startRouter(config, logger, { clock: options.routerClock }));
    }
  }
  const bus: Bus = await connectBus({ url: infrastructure.natsUrl, name: 'routing-e2e' });
  const subjects = createSubjects(namespace);
  const routerDb: Kysely<RouterDatabase> = createDatabase<RouterDatabase>({
    url: database.url,
    schema: 'router',
    poolSize: 2,
  });

  const call = (subject: string, action: string, payload: unknown, requester: Requester) =>
    callService(
      bus.connection,
      subject,
      Command.fromPartial({
        commandId: randomUUID(),
        requester,
        action,
        payloadJson: JSON.stringify(payload),
        apiVersion: '3.6',
        issuedAt: new Date().toISOString(),
      }),
      { timeoutMs: 30_000 },
    );

  return {
    platform,
    /** A fresh organization: routing state never crosses organizations. */
    organization() {
      return createOrganization(call, subjects, randomUUID());
    },
    /** Everything chat-store appended for the organization, folded in stream order. */
    async readLog(organizationId: string): Promise<ChatLog> {
      return foldChatLog(await this.readBatches(organizationId));
    },
    /** Everything chat-store appended for the organization (or one chat), in stream order. */
    readBatches(organizationId: string, chatId = '*'): Promise<ChatEventBatch[]> {
      const chat = chatId === '*' ? '*' : subjectToken(chatId);
      const subject = `${namespace}.chat.${subjectToken(organizationId)}.${chat}`;
      return readBatches(bus, subjects.chatStream, subject);
    },
    /** The router's commands (set_routing_status, agent_connected, …) as the gateway sends them. */
    routerCall: (action: string, payload: unknown, requester: Requester) =>
      call(subjects.routerExecute, action, payload, requester),
    chatStoreCall: (action: string, payload: unknown, requester: Requester) =>
      call(subjects.chatStoreExecute, action, payload, requester),
    chatStoreQuery: (action: string, payload: unknown, requester: Requester) =>
      call(subjects.chatStoreQuery, action, payload, requester),
    /** A Configuration API change as the gateway announces it on the configuration stream. */
    announceConfiguration: (organizationId: string, action: string, payload: unknown) =>
      publishConfigurationChange(bus.jetstream, subjects, { organizationId, action, payload }),
    /** Threads the router holds in its queue for the organization. */
    async waitingInRouter(organizationId: string): Promise<number> {
      const row = await routerDb
        .selectFrom('waiting_chats')
        .where('organization_id', '=', organizationId)
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },
    async stop() {
      for (const router of routers) await router.stop();
      await platform.stop();
      await bus.connection.drain();
      await routerDb.destroy();
      await database.drop();
    },
  };
}

export type RoutingPlatform = Awaited<ReturnType<typeof startRoutingPlatform>>;

type Call = (
  subject: string,
  action: string,
  payload: unknown,
  requester: Requester,
) => Promise<unknown>;

function createOrganization(
  call: Call,
  subjects: ReturnType<typeof createSubjects>,
  organizationId: string,
) {
  return {
    id: organizationId,
    agent(index: number, maxChatsCount: number): Requester {
      const id = `agent-${index}@burst.test`;
      return Requester.fromPartial({
        organizationId,
        userId: id,
        userType: 'agent',
        name: `Agent ${index}`,
        email: id,
        groupIds: [0],
        role: 'normal',
        maxChatsCount,
        connectionId: randomUUID(),
        requestId: randomUUID(),
      });
    },
    customer(): Requester {
      return Requester.fromPartial({
        organizationId,
        userId: randomUUID(),
        userType: 'customer',
        name: 'Burst Customer',
        groupIds: [0],
        connectionId: randomUUID(),
        requestId: randomUUID(),
      });
    },
    /** The agent's own set_routing_status, which also tells the router their limit. */
    acceptChats: (agent: Requester) =>
      call(subjects.routerExecute, 'set_routing_status', { status: 'accepting_chats' }, agent),
    startChat: (customer: Requester) =>
      call(
        subjects.chatStoreExecute,
        'start_chat',
        { chat: { thread: { events: [{ type: 'message', text: 'Hello' }] } } },
        customer,
      ) as Promise<{ chat_id: string; thread_id: string }>,
    deactivateChat: (agent: Requester, chatId: string) =>
      call(subjects.chatStoreExecute, 'deactivate_chat', { id: chatId }, agent),
  };
}

export type BurstOrganization = ReturnType<typeof createOrganization>;

/** Reads a subject filter of the chat stream from the start, with an ephemeral ordered consumer. */
async function readBatches(bus: Bus, stream: string, subject: string): Promise<ChatEventBatch[]> {
  const messages = await readSubject(bus.jetstream, stream, subject);
  return messages.map((message) => ChatEventBatch.decode(message.data));
}

/** Runs `work` for each item with at most `concurrency` in flight; results in item order. */
export async function inParallel<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
