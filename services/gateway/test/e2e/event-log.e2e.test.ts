import { join } from 'node:path';
import {
  type AccountsDatabase,
  accountsSchema,
  createAgent,
  createOrganization,
  migrateAccounts,
} from '@threadline/accounts';
import { type Bus, connectBus, createSubjects, readSubject, subjectToken } from '@threadline/bus';
import { ChatEventBatch } from '@threadline/contracts';
import { createDatabase } from '@threadline/postgres';
import {
  createTestDatabase,
  type Platform,
  startPlatform,
  type TestDatabase,
  uniqueNamespace,
} from '@threadline/testkit';
import { testInfrastructure } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The event log's promises through the whole platform (two replicas of every service, real NATS
 * and Postgres): concurrent writers to one chat lose nothing and are numbered without gaps,
 * conflicting changes never both apply, and a client reads its own writes at once.
 */
const repositoryRoot = join(import.meta.dirname, '../../../..');
const namespace = uniqueNamespace('log');
const subjects = createSubjects(namespace);

let database: TestDatabase;
let platform: Platform;
let bus: Bus;
let organizationId: string;
let authorization: string;

beforeAll(async () => {
  const infrastructure = testInfrastructure();
  database = await createTestDatabase(infrastructure.databaseUrl);
  const accounts = createDatabase<AccountsDatabase>({
    url: database.url,
    schema: accountsSchema,
    poolSize: 1,
  });
  await migrateAccounts(accounts);
  const organization = await createOrganization(accounts, { name: 'Log' });
  organizationId = organization.id;
  const agent = await createAgent(accounts, {
    organizationId,
    email: 'writer@log.test',
    name: 'Writer',
    role: 'owner',
  });
  authorization = `Basic ${agent.basicCredentials}`;
  await accounts.destroy();
  platform = await startPlatform({
    natsUrl: infrastructure.natsUrl,
    databaseUrl: database.url,
    namespace,
    replicas: 2,
    logDir: join(repositoryRoot, '.threadline/test-logs', `event-log-${Date.now()}`),
    environment: { LOG_LEVEL: 'warn' },
  });
  bus = await connectBus({ url: infrastructure.natsUrl, name: 'event-log-e2e' });
});

afterAll(async () => {
  await bus?.connection.drain();
  await platform?.stop();
  await database?.drop();
});

/** An agent Web API call on gateway `gateway`; the answer body and whether it succeeded. */
async function call(
  gateway: number,
  action: string,
  payload: unknown,
  headers: Record<string, string> = {},
): Promise<{ ok: boolean; body: Record<string, unknown> }> {
  const response = await fetch(`${platform.gatewayUrls[gateway]}/v3.6/agent/action/${action}`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(payload),
  });
  return { ok: response.ok, body: (await response.json()) as Record<string, unknown> };
}

async function startChat(): Promise<string> {
  const started = await call(0, 'start_chat', {});
  expect(started.ok, JSON.stringify(started.body)).toBe(true);
  return String(started.body.chat_id);
}

/** What chat-store appended for a chat, in order. */
async function storedBatches(chatId: string): Promise<ChatEventBatch[]> {
  const subject = `${namespace}.chat.${subjectToken(organizationId)}.${subjectToken(chatId)}`;
  const messages = await readSubject(bus.jetstream, subjects.chatStream, subject);
  return messages.map((message) => ChatEventBatch.decode(message.data));
}

/** Ids of the events a batch added, with their thread. */
function addedEvents(batch: ChatEventBatch): { id: string; threadId: string }[] {
  return batch.events
    .filter((event) => event.type === 'event_added')
    .map((event) => JSON.parse(event.dataJson) as { thread_id: string; event: { id: string } })
    .map((data) => ({ id: data.event.id, threadId: data.thread_id }));
}

describe('the event log through two gateways and two chat-stores', () => {
  it('takes 200 concurrent send_events to one chat: all succeed, numbered without gaps, none lost', async () => {
    const chatId = await startChat();
    const sends = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        call(index % 2, 'send_event', {
          chat_id: chatId,
          event: { type: 'message', text: `concurrent ${index}` },
        }),
      ),
    );
    const failed = sends.filter((send) => !send.ok);
    expect(failed.map((send) => send.body)).toEqual([]);
    const eventIds = sends.map((send) => String(send.body.event_id));
    expect(new Set(eventIds).size).toBe(200);

    const batches = await storedBatches(chatId);
    expect(batches.map((batch) => batch.version)).toEqual(
      Array.from({ length: batches.length }, (_, index) => index + 1),
    );
    const stored = batches.flatMap(addedEvents).map((event) => event.id);
    for (const id of eventIds) expect(stored.filter((storedId) => storedId === id)).toHaveLength(1);

    // The projection agrees with the log: every acknowledged event, once.
    const chat = await call(1, 'get_chat', { chat_id: chatId });
    const projected = (chat.body.thread as { events: { id: string }[] }).events.map(
      (event) => event.id,
    );
    for (const id of eventIds) expect(projected.filter((event) => event === id)).toHaveLength(1);
  });

  it('never applies a send_event after the deactivation it raced', async () => {
    for (let round = 0; round < 10; round += 1) {
      const chatId = await startChat();
      const [send, deactivate] = await Promise.all([
        call(round % 2, 'send_event', {
          chat_id: chatId,
          event: { type: 'message', text: `race ${round}` },
        }),
        call((round + 1) % 2, 'deactivate_chat', { id: chatId }),
      ]);
      expect(deactivate.ok, JSON.stringify(deactivate.body)).toBe(true);
      const batches = await storedBatches(chatId);
      const closedAt = batches.findIndex((batch) =>
        batch.events.some((event) => event.type === 'thread_closed'),
      );
      expect(closedAt).toBeGreaterThan(0);
      const sentAt = batches.findIndex((batch) =>
        addedEvents(batch).some((event) => event.id === send.body.event_id),
      );
      if (send.ok) {
        // It was applied, so before the thread closed.
        expect(sentAt).toBeGreaterThan(0);
        expect(sentAt).toBeLessThan(closedAt);
      } else {
        expect(send.body).toMatchObject({ error: { type: 'chat_inactive' } });
      }
      // Nothing was added to the closed thread.
      const closing = batches[closedAt]!.events.find((event) => event.type === 'thread_closed')!;
      const closedThread = (JSON.parse(closing.dataJson) as { thread_id: string }).thread_id;
      for (const batch of batches.slice(closedAt + 1)) {
        expect(addedEvents(batch).filter((event) => event.threadId === closedThread)).toEqual([]);
      }
    }
  });

  it('applies a send_event repeated with its Idempotency-Key once, whichever gateway gets it', async () => {
    const chatId = await startChat();
    const request = { chat_id: chatId, event: { type: 'message', text: 'exactly once' } };
    const key = { 'idempotency-key': `send-${chatId}` };
    const answers = await Promise.all([
      call(0, 'send_event', request, key),
      call(1, 'send_event', request, key),
    ]);
    answers.push(await call(1, 'send_event', request, key));
    expect(answers.every((answer) => answer.ok)).toBe(true);
    expect(new Set(answers.map((answer) => answer.body.event_id)).size).toBe(1);
    const stored = (await storedBatches(chatId)).flatMap(addedEvents);
    expect(stored.map((event) => event.id)).toEqual([answers[0]!.body.event_id]);
  });

  it('shows a client its own write at once, on either gateway', async () => {
    const chatId = await startChat();
    for (let index = 0; index < 30; index += 1) {
      const sent = await call(index % 2, 'send_event', {
        chat_id: chatId,
        event: { type: 'message', text: `mine ${index}` },
      });
      expect(sent.ok).toBe(true);
      const chat = await call((index + 1) % 2, 'get_chat', { chat_id: chatId });
      const ids = (chat.body.thread as { events: { id: string }[] }).events.map(
        (event) => event.id,
      );
      expect(ids).toContain(sent.body.event_id);
    }
  });
});
