import { randomUUID } from 'node:crypto';
import {
  type Bus,
  callService,
  chatStoreExecuteSubject,
  connectBus,
  createSubjects,
  type Subjects,
} from '@threadline/bus';
import { Command, Requester } from '@threadline/contracts';
import { openKeyRing } from '@threadline/personal-data';
import { createLogger } from '@threadline/runtime';
import { createTestDatabase, type TestDatabase, uniqueNamespace } from '@threadline/testkit';
import { testInfrastructure } from '@threadline/testkit/testing';
import { createEventLog } from '../adapters/nats/event-log.ts';
import { createBatchSealer } from '../adapters/personal-data/batch-sealer.ts';
import { sealingEventLog } from '../application/personal-data.ts';
import { type RunningChatStore, startChatStore } from '../chat-store.ts';
import { configSchema } from '../config.ts';

export interface CallOptions {
  commandId?: string;
  issuedAt?: string;
  /**
   * As the gateway and router send a command: to its chat's partition (bus/chat-affinity.ts).
   * Otherwise to the shared subject, where either replica takes it: tests there show that stale
   * cached aggregates are still decided right.
   */
  routed?: boolean;
}

/**
 * chat-store instances running in this process against real NATS and Postgres, with a namespace
 * and database of their own, and a client that calls them on the real subjects as the gateway does.
 */
export async function startTestChatStores(count = 1) {
  const { natsUrl, databaseUrl } = testInfrastructure();
  const database: TestDatabase = await createTestDatabase(databaseUrl, 'chat_store_test');
  const namespace = uniqueNamespace('cs');
  const config = configSchema.parse({
    NATS_URL: natsUrl,
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '4',
    THREADLINE_NAMESPACE: namespace,
    HEALTH_PORT: '0',
    GRPC_PORT: '0',
  });
  const logger = createLogger('chat-store-test', 'silent');
  const instances: RunningChatStore[] = [];
  for (let index = 0; index < count; index++) instances.push(await startChatStore(config, logger));
  const client: Bus = await connectBus({ url: natsUrl, name: 'chat-store-test-client' });
  const subjects: Subjects = createSubjects(namespace);
  const organizationId = randomUUID();
  const keys = await openKeyRing({ url: database.url, masterKey: config.masterKey });
  const eventLog = sealingEventLog(createEventLog(client, subjects), createBatchSealer(keys));

  function command(
    action: string,
    payload: unknown,
    requester: Requester,
    options: CallOptions = {},
  ): Command {
    return Command.fromPartial({
      commandId: options.commandId ?? randomUUID(),
      requester,
      action,
      payloadJson: JSON.stringify(payload),
      apiVersion: '3.6',
      issuedAt: options.issuedAt ?? new Date().toISOString(),
    });
  }

  return {
    instances,
    /** The projections, through the first replica's pool. */
    db: instances[0]!.db,
    /** Customers' data keys, as the replicas use them. */
    keys,
    client,
    subjects,
    namespace,
    organizationId,
    database,
    command,
    execute<T = Record<string, unknown>>(
      action: string,
      payload: unknown,
      requester: Requester,
      options: CallOptions = {},
    ) {
      const subject = options.routed
        ? chatStoreExecuteSubject(subjects, requester.organizationId, payload)
        : subjects.chatStoreExecute;
      return callService(client.connection, subject, command(action, payload, requester, options), {
        fallbackSubject: subjects.chatStoreExecute,
      }) as Promise<T>;
    },
    query<T = Record<string, unknown>>(action: string, payload: unknown, requester: Requester) {
      return callService(
        client.connection,
        subjects.chatStoreQuery,
        command(action, payload, requester),
      ) as Promise<T>;
    },
    /** The chat's stored batches, opened as chat-store reads them (the stream holds them sealed). */
    readChat(chatId: string) {
      return eventLog.readChat(organizationId, chatId, 0);
    },
    customer(overrides: Partial<Requester> = {}): Requester {
      return Requester.fromPartial({
        organizationId,
        userId: randomUUID(),
        userType: 'customer',
        name: 'Carol Customer',
        groupIds: [0],
        connectionId: randomUUID(),
        requestId: randomUUID(),
        ...overrides,
      });
    },
    agent(overrides: Partial<Requester> = {}): Requester {
      const id = `${randomUUID().slice(0, 8)}@agents.example.com`;
      return Requester.fromPartial({
        organizationId,
        userId: id,
        userType: 'agent',
        name: 'Adam Agent',
        email: id,
        groupIds: [0],
        role: 'normal',
        maxChatsCount: 6,
        connectionId: randomUUID(),
        requestId: randomUUID(),
        ...overrides,
      });
    },
    router(): Requester {
      return Requester.fromPartial({ organizationId, userId: 'router', userType: 'system' });
    },
    /** A customer's new chat (`start_chat` payload as given) with an agent the router assigned. */
    async assignedChat(
      payload: unknown = {},
      people: { customer?: Requester; agent?: Requester } = {},
    ) {
      const customer = people.customer ?? this.customer();
      const agent = people.agent ?? this.agent();
      const { chat_id, thread_id } = await this.execute<{ chat_id: string; thread_id: string }>(
        'start_chat',
        payload,
        customer,
      );
      await this.execute(
        'assign_agent',
        { chat_id, thread_id, agent: { id: agent.userId, name: agent.name } },
        this.router(),
      );
      return { customer, agent, chat_id, thread_id };
    },
    async stop() {
      await Promise.all(instances.map((instance) => instance.stop()));
      await client.manager.streams.delete(subjects.chatStream).catch(() => undefined);
      await client.manager.streams.delete(subjects.configurationStream).catch(() => undefined);
      await client.connection.close();
      await keys.close();
      await database.drop();
    },
  };
}

export type TestChatStores = Awaited<ReturnType<typeof startTestChatStores>>;
