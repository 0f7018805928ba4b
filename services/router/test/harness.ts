import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import {
  type Bus,
  callService,
  connectBus,
  createSubjects,
  ensureStreams,
  replyFor,
  type Subjects,
} from '@threadline/bus';
import {
  type ChatEventBatch,
  ChatEventBatch as ChatEventBatchCodec,
  Command,
  Reply,
} from '@threadline/contracts';
import { createDatabase, type Kysely } from '@threadline/postgres';
import { createLogger } from '@threadline/runtime';
import { createTestDatabase, uniqueNamespace } from '@threadline/testkit';
import { eventually, testInfrastructure } from '@threadline/testkit/testing';
import { routerDurable } from '../src/adapters/nats/chat-events.consumer.ts';
import { routerConfigurationDurable } from '../src/adapters/nats/configuration.consumer.ts';
import type { RouterDatabase } from '../src/adapters/postgres/database.ts';
import { configSchema } from '../src/config.ts';
import { type RunningRouter, startRouter } from '../src/router.ts';
import { publishConfigurationChange } from './configuration-changes.ts';

export interface AssignAgentCall {
  commandId: string;
  organizationId: string;
  userType: string;
  chatId: string;
  threadId: string;
  agentId: string;
  agent: { id: string; name: string; email: string; avatar: string };
}

/** Any system command the routers sent chat-store. */
export interface SystemCommandCall {
  commandId: string;
  organizationId: string;
  action: string;
  payload: Record<string, unknown>;
  issuedAt: string;
}

type Answer = (call: AssignAgentCall) => { payload: unknown } | { error: unknown };
type CommandAnswer = (call: SystemCommandCall) => { payload: unknown } | { error: unknown };

/**
 * Stands in for chat-store on its real subject: records every command the routers send (the
 * boundary under test; `assign_agent` also in `calls`) and answers as told, successfully by
 * default.
 */
export function startRecordingChatStore(connection: NatsConnection, subjects: Subjects) {
  const calls: AssignAgentCall[] = [];
  const commands: SystemCommandCall[] = [];
  let answer: Answer = () => ({ payload: {} });
  let answerCommand: CommandAnswer = () => ({ payload: {} });
  const subscription: Subscription = connection.subscribe(subjects.chatStoreExecute, {
    queue: 'chat-store',
    callback: (_error, message) => {
      const command = Command.decode(message.data);
      const payload = JSON.parse(command.payloadJson);
      if (command.action !== 'assign_agent') {
        const call: SystemCommandCall = {
          commandId: command.commandId,
          organizationId: command.requester?.organizationId ?? '',
          action: command.action,
          payload,
          issuedAt: command.issuedAt,
        };
        commands.push(call);
        message.respond(Reply.encode(replyFor(answerCommand(call))).finish());
        return;
      }
      const call: AssignAgentCall = {
        commandId: command.commandId,
        organizationId: command.requester?.organizationId ?? '',
        userType: command.requester?.userType ?? '',
        chatId: payload.chat_id,
        threadId: payload.thread_id,
        agentId: payload.agent.id,
        agent: payload.agent,
      };
      calls.push(call);
      message.respond(Reply.encode(replyFor(answer(call))).finish());
    },
  });
  return {
    calls,
    commands,
    answerWith(next: Answer) {
      answer = next;
    },
    answerCommandsWith(next: CommandAnswer) {
      answerCommand = next;
    },
    stop: () => subscription.drain(),
  };
}

export type RecordingChatStore = ReturnType<typeof startRecordingChatStore>;

/**
 * Two (or more) routers in this process on a namespace and database of their own, the real
 * stream to publish chat event batches on, and a recording chat-store.
 */
export async function startRouters(
  options: {
    replicas?: number;
    env?: Record<string, string>;
    routerOptions?: Parameters<typeof startRouter>[2];
  } = {},
) {
  const infrastructure = testInfrastructure();
  const database = await createTestDatabase(infrastructure.databaseUrl);
  const namespace = uniqueNamespace('rt');
  const subjects = createSubjects(namespace);
  const bus: Bus = await connectBus({ url: infrastructure.natsUrl, name: 'router-test' });
  await ensureStreams(bus.manager, subjects, { replicas: 1 });
  const chatStore = startRecordingChatStore(bus.connection, subjects);
  const config = configSchema.parse({
    NATS_URL: infrastructure.natsUrl,
    DATABASE_URL: database.url,
    THREADLINE_NAMESPACE: namespace,
    HEALTH_PORT: '0',
    GRPC_PORT: '0',
    LOG_LEVEL: 'silent',
    ASSIGN_TIMEOUT_MS: '2000',
    HOUSEKEEPING_INTERVAL_MS: '200',
    ASSIGNMENT_RETRY_AFTER_MS: '400',
    ...options.env,
  });
  const logger = createLogger('router-test', 'silent');
  const routers: RunningRouter[] = await Promise.all(
    Array.from({ length: options.replicas ?? 2 }, () =>
      startRouter(config, logger, options.routerOptions),
    ),
  );
  const db: Kysely<RouterDatabase> = createDatabase<RouterDatabase>({
    url: database.url,
    schema: 'router',
  });

  return {
    subjects,
    bus,
    chatStore,
    routers,
    db,
    /** One more replica on the same namespace and database (a restart, a scale-up). */
    async startReplica() {
      const router = await startRouter(config, logger, options.routerOptions);
      routers.push(router);
      return router;
    },
    async publish(batch: ChatEventBatch, messageId?: string) {
      await bus.jetstream.publish(
        subjects.chatEvents(batch.organizationId, batch.chatId),
        ChatEventBatchCodec.encode(batch).finish(),
        messageId ? { msgID: messageId } : undefined,
      );
    },
    /** Waits until the routers' durable consumer has no message left unprocessed or unacked. */
    async drained() {
      await eventually(async () => {
        const info = await bus.manager.consumers.info(subjects.chatStream, routerDurable);
        if (info.num_pending > 0 || info.num_ack_pending > 0) throw new Error('consumer busy');
      });
    },
    /** Publishes a Configuration API change as the gateway does; returns its stream position. */
    publishConfigurationChange: (organizationId: string, action: string, payload: unknown) =>
      publishConfigurationChange(bus.jetstream, subjects, { organizationId, action, payload }),
    /** Waits until the routers applied every configuration change published so far. */
    async configurationApplied() {
      await eventually(async () => {
        const info = await bus.manager.consumers.info(
          subjects.configurationStream,
          routerConfigurationDurable,
        );
        if (info.num_pending > 0 || info.num_ack_pending > 0) throw new Error('consumer busy');
      });
    },
    execute: (command: Command) => callService(bus.connection, subjects.routerExecute, command),
    async stop() {
      await Promise.all(routers.map((router) => router.stop()));
      await chatStore.stop();
      await bus.manager.streams.delete(subjects.chatStream).catch(() => undefined);
      await bus.manager.streams.delete(subjects.configurationStream).catch(() => undefined);
      await bus.connection.drain();
      await db.destroy();
      await database.drop();
    },
  };
}

export type Routers = Awaited<ReturnType<typeof startRouters>>;

/** Tests of the router import it from here, with the rest of the harness. */
export { eventually };
