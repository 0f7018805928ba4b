import { join } from 'node:path';
import { callService, connectBus, createSubjects } from '@threadline/bus';
import { ChatEventBatch } from '@threadline/contracts';
import {
  createTestDatabase,
  type Platform,
  startPlatform,
  type TestDatabase,
  uniqueNamespace,
} from '@threadline/testkit';
import { eventually, testInfrastructure } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aCommand,
  aMessageBatch,
  newOrganizationId,
  type Receiver,
  startReceiver,
} from '../harness.ts';

const repositoryRoot = join(import.meta.dirname, '../../../..');

/**
 * At least once through a crash: two webhook processes share the work of 1,000 deliveries and one
 * is killed with SIGKILL halfway, with batches still arriving. Every webhook still reaches the
 * receiver; the only thing a crash may cost is a duplicate, which keeps its delivery id.
 */
const chats = 100;
const messagesPerChat = 10;
const total = chats * messagesPerChat;

let database: TestDatabase;
let platform: Platform;
let receiver: Receiver;
const namespace = uniqueNamespace('whcrash');
const subjects = createSubjects(namespace);

beforeAll(async () => {
  const infrastructure = testInfrastructure();
  database = await createTestDatabase(infrastructure.databaseUrl, 'tl_whcrash');
  // A few milliseconds per answer keeps requests in flight when the process dies.
  receiver = await startReceiver(() => ({ status: 200, afterMs: 5 }));
  platform = await startPlatform({
    natsUrl: infrastructure.natsUrl,
    databaseUrl: database.url,
    namespace,
    replicas: 2,
    services: ['webhook'],
    logDir: join(repositoryRoot, '.threadline/test-logs', `webhook-crash-${Date.now()}`),
    environment: {
      LOG_LEVEL: 'warn',
      // The receiver runs on loopback, which production refuses unless allowed.
      WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8,::1/128',
      // A killed replica's claims come back after its lease (timeout + 5 s).
      WEBHOOK_DELIVERY_TIMEOUT_MS: '2000',
      WEBHOOK_BACKOFF_BASE_MS: '100',
      WEBHOOK_BACKOFF_MAX_MS: '500',
      WEBHOOK_POLL_INTERVAL_MS: '200',
    },
  }).catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });
});

afterAll(async () => {
  await platform?.stop();
  await receiver?.close();
  await database?.drop();
});

describe('webhook delivery through a crash', () => {
  it('loses none of 1,000 deliveries when a replica is killed with SIGKILL', async () => {
    const infrastructure = testInfrastructure();
    const bus = await connectBus({ url: infrastructure.natsUrl, name: 'webhook-crash-test' });
    try {
      const organizationId = newOrganizationId();
      const call = (action: string, payload: Record<string, unknown>) =>
        callService(
          bus.connection,
          subjects.webhookExecute,
          aCommand(organizationId, action, payload),
        );
      const { id: webhookId } = (await call('register_webhook', {
        action: 'incoming_event',
        secret_key: 'top-secret',
        url: receiver.url,
        owner_client_id: 'client-1',
        type: 'license',
      })) as { id: string };
      await call('enable_license_webhooks', { owner_client_id: 'client-1' });

      const chatIds = Array.from({ length: chats }, (_, index) => `CRASH${index}`);
      const publishing = (async () => {
        for (let version = 2; version < 2 + messagesPerChat; version += 1) {
          await Promise.all(
            chatIds.map((chatId) => {
              const batch = aMessageBatch(organizationId, chatId, version);
              return bus.jetstream.publish(
                subjects.chatEvents(organizationId, chatId),
                ChatEventBatch.encode(batch).finish(),
                { msgID: batch.commandId },
              );
            }),
          );
        }
      })();

      // Kill one replica once a third has arrived, while the rest is still being published and sent.
      await eventually(() => expect(receiver.received.length).toBeGreaterThan(total / 3), 60_000);
      const delivered = () => new Set(receiver.received.map((webhook) => deliveryId(webhook)));
      await platform.kill('webhook', 0);
      expect(delivered().size).toBeLessThan(total);
      await publishing;

      // The survivor takes over the dead replica's claims (after their lease) and its
      // unacknowledged batches (after the consumer's ack wait).
      await eventually(() => expect(delivered().size).toBe(total), 90_000);

      // Every event of every chat arrived, each under one delivery id with one body.
      const bodies = new Map<string, string>();
      for (const webhook of receiver.received) {
        const id = deliveryId(webhook);
        expect(bodies.get(id) ?? webhook.body).toBe(webhook.body);
        bodies.set(id, webhook.body);
      }
      const texts = new Set(
        [...bodies.values()].map((body) => {
          const envelope = JSON.parse(body) as {
            webhook_id: string;
            payload: { chat_id: string; event: { text: string } };
          };
          expect(envelope.webhook_id).toBe(webhookId);
          return `${envelope.payload.chat_id} ${envelope.payload.event.text}`;
        }),
      );
      expect(texts.size).toBe(total);
      const duplicates = receiver.received.length - total;
      console.info(`webhook crash e2e: ${total} delivered, ${duplicates} sent again`);
    } finally {
      await bus.connection.drain();
    }
  });
});

function deliveryId(webhook: { headers: Record<string, string | string[] | undefined> }): string {
  const id = webhook.headers['x-threadline-webhook-id'];
  if (typeof id !== 'string') throw new Error('a webhook without a delivery id');
  return id;
}
