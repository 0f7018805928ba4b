import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AccountsDatabase,
  accountsSchema,
  createAgent,
  createClient,
  createOrganization,
  migrateAccounts,
} from '@threadline/accounts';
import { type Bus, connectBus, createSubjects, readSubject, subjectToken } from '@threadline/bus';
import { ChatEventBatch } from '@threadline/contracts';
import { createDatabase, type Kysely, sql } from '@threadline/postgres';
import { createWebClient, requestCustomerToken } from '@threadline/sdk';
import {
  createTestDatabase,
  missingServerBinaries,
  type Platform,
  type PrivateInfrastructure,
  type ServiceName,
  startPlatform,
  startPrivateInfrastructure,
  uniqueNamespace,
} from '@threadline/testkit';
import { eventually } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatClient, rtmAgent, type SentMessage, webCustomer } from './chat-load.ts';

type RtmAgent = ReturnType<typeof rtmAgent>;

import { startWebhookReceiver } from './e2e-world.ts';

/**
 * Faults under load: ten customers (Web API) and three agents (RTM) chat through two replicas of
 * every service while one replica of each service is killed (SIGKILL) and started again, then
 * NATS and then Postgres are restarted; and again through a rolling restart (every replica asked
 * to stop and started again in turn). The clients retry with idempotency keys, as they should.
 * Afterwards every acknowledged event is in the log and the projections exactly once, each chat
 * reads the same to its customer and its agent, and a webhook went out for each event. NATS and
 * Postgres are this test's own (private ports and data), since the shared ones must never be
 * restarted under other tests.
 */
const repositoryRoot = join(import.meta.dirname, '../../../..');
const customers = 10;
const agents = 3;
const settleTimeoutMs = 45_000;
/** One replica of each service, then the two servers; alternating replicas. */
const serviceFaults: [ServiceName, number][] = [
  ['chat-store', 0],
  ['router', 1],
  ['webhook', 0],
  ['gateway', 1],
];

const missing = missingServerBinaries();
const namespace = uniqueNamespace('fault');

let infrastructure: PrivateInfrastructure;
let platform: Platform;
let databaseUrl: string;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
const clients: ChatClient[] = [];
const timings: Record<string, number> = {};

async function timed<T>(name: string, step: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await step();
  } finally {
    timings[name] = Date.now() - started;
  }
}

beforeAll(async () => {
  if (missing.length > 0) return;
  infrastructure = await timed('private NATS and Postgres', () => startPrivateInfrastructure());
  const database = await createTestDatabase(infrastructure.databaseUrl);
  databaseUrl = database.url;
  receiver = await startWebhookReceiver();
  platform = await timed('platform start', () =>
    startPlatform({
      natsUrl: infrastructure.natsUrl,
      databaseUrl,
      namespace,
      replicas: 2,
      logDir: join(repositoryRoot, '.threadline/test-logs', `faults-${Date.now()}`),
      environment: {
        LOG_LEVEL: 'warn',
        // A request lost with its gateway is taken over by a repeat after this + 5 s.
        REQUEST_TIMEOUT_MS: '5000',
        // Agents come back within seconds; their chats must not be handed on meanwhile.
        AGENT_DISCONNECT_GRACE_MS: '600000',
      },
    }),
  );
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await platform?.stop();
  receiver?.server.close();
  await infrastructure?.stop();
}, 60_000);

interface Team {
  organizationId: string;
  customerClientId: string;
  agents: { id: string; authorization: string }[];
  agentCredentials: { accountId: string; personalAccessToken: string };
}

async function createTeam(): Promise<Team> {
  const accounts: Kysely<AccountsDatabase> = createDatabase<AccountsDatabase>({
    url: databaseUrl,
    schema: accountsSchema,
    poolSize: 1,
  });
  try {
    await migrateAccounts(accounts);
    const organization = await createOrganization(accounts, { name: 'Faults' });
    const client = await createClient(accounts, {
      organizationId: organization.id,
      name: 'Widget',
    });
    const created = [];
    for (let index = 0; index < agents; index += 1) {
      created.push(
        await createAgent(accounts, {
          organizationId: organization.id,
          email: `agent${index}@faults.test`,
          name: `Agent ${index}`,
          role: 'owner',
          groups: [0],
        }),
      );
    }
    return {
      organizationId: organization.id,
      customerClientId: client.id,
      agents: created.map((agent) => ({
        id: agent.agent.id,
        authorization: `Basic ${agent.basicCredentials}`,
      })),
      agentCredentials: {
        accountId: created[0]!.agent.accountId,
        personalAccessToken: created[0]!.pat,
      },
    };
  } finally {
    await accounts.destroy();
  }
}

/**
 * incoming_chat (which carries a chat's opening events) and incoming_event webhooks, to the local
 * receiver.
 */
async function registerWebhooks(team: Team): Promise<void> {
  const configuration = createWebClient({
    baseUrl: platform.gatewayUrls[0]!,
    api: 'configuration',
    credentials: team.agentCredentials,
  });
  for (const action of ['incoming_chat', 'incoming_event']) {
    await configuration.call('register_webhook', {
      action,
      secret_key: 'fault-secret',
      url: receiver.url,
      owner_client_id: team.customerClientId,
      type: 'license',
    });
  }
  await configuration.call('enable_license_webhooks', { owner_client_id: team.customerClientId });
}

interface Chat {
  customer: ChatClient;
  chatId: string;
  agent: RtmAgent;
  agentId: string;
  opening: SentMessage;
}

/** Agents on RTM, accepting chats. */
async function connectAgents(team: Team): Promise<RtmAgent[]> {
  const agentClients = team.agents.map((agent, index) =>
    rtmAgent({
      name: `agent${index}`,
      gatewayUrls: platform.gatewayUrls,
      authorization: agent.authorization,
    }),
  );
  clients.push(...agentClients);
  for (const agent of agentClients) {
    await agent.request('set_routing_status', { status: 'accepting_chats' });
  }
  return agentClients;
}

/** A new customer starts a chat; the router gives it to one of the agents. */
async function startChat(team: Team, agentClients: RtmAgent[], index: number): Promise<Chat> {
  const token = await requestCustomerToken(platform.gatewayUrls[index % 2]!, {
    grantType: 'cookie',
    clientId: team.customerClientId,
    organizationId: team.organizationId,
  });
  const customer = webCustomer({
    name: `customer${index}`,
    gatewayUrls: platform.gatewayUrls,
    organizationId: team.organizationId,
    accessToken: token.access_token,
  });
  clients.push(customer);
  const text = `customer${index} opening`;
  const started = await customer.request('start_chat', {
    chat: { thread: { events: [{ type: 'message', text }] } },
  });
  const chatId = String(started.chat_id);
  const agentId = await eventually(async () => {
    const chat = await customer.request('get_chat', { chat_id: chatId });
    const agent = (chat.users as { id: string; type: string }[]).find(
      (user) => user.type === 'agent',
    );
    expect(agent).toBeDefined();
    return agent!.id;
  }, 20_000);
  return {
    customer,
    chatId,
    agent: agentClients[team.agents.findIndex((agent) => agent.id === agentId)]!,
    agentId,
    opening: { chatId, text, eventId: String((started.event_ids as string[])[0]), attempts: 1 },
  };
}

/** Kills and restarts one replica of each service, then restarts NATS and Postgres, in turn. */
async function injectFaults(): Promise<void> {
  for (const [service, replica] of serviceFaults) {
    await sleep(2000);
    await timed(`${service} ${replica} kill + restart`, async () => {
      await platform.kill(service, replica);
      await sleep(1000);
      await platform.restart(service, replica);
    });
  }
  await sleep(2000);
  await timed('NATS restart', async () => {
    await infrastructure.nats.stop();
    await sleep(1000);
    await infrastructure.nats.start();
  });
  await sleep(4000);
  await timed('Postgres restart', async () => {
    await infrastructure.postgres.stop();
    await sleep(1000);
    await infrastructure.postgres.start();
  });
  await sleep(4000);
}

/**
 * A rolling restart as `helm upgrade` makes one: every service's Deployment rolls at once, each
 * replacing its replicas one at a time: a replica asked to stop (SIGTERM: it drains and ends its
 * work) and started again, the next only once it is ready.
 */
async function rollingRestart(): Promise<void> {
  const services = ['chat-store', 'router', 'webhook', 'gateway'] as const;
  await Promise.all(
    services.map(async (service) => {
      for (const replica of [0, 1]) {
        await timed(`${service} ${replica} rolled`, async () => {
          await platform.shutDown(service, replica);
          await platform.restart(service, replica);
        });
        await sleep(1000);
      }
    }),
  );
}

interface StoredEvent {
  chat_id: string;
  id: string;
  text: string;
}

async function projectedMessages(organizationId: string): Promise<StoredEvent[]> {
  const db = createDatabase<Record<string, never>>({
    url: databaseUrl,
    schema: 'chat_store',
    poolSize: 1,
  });
  try {
    const { rows } = await sql<StoredEvent>`
      SELECT chat_id, id, body->>'text' AS text FROM chat_store.events
      WHERE organization_id = ${organizationId} AND body->>'type' = 'message'
      ORDER BY chat_id, event_order`.execute(db);
    return rows;
  } finally {
    await db.destroy();
  }
}

/** Message event ids in a chat's log (the chat stream), in order. */
async function loggedMessages(bus: Bus, organizationId: string, chatId: string): Promise<string[]> {
  const subjects = createSubjects(namespace);
  const subject = `${namespace}.chat.${subjectToken(organizationId)}.${subjectToken(chatId)}`;
  const stored = await readSubject(bus.jetstream, subjects.chatStream, subject);
  return stored
    .map((message) => ChatEventBatch.decode(message.data))
    .flatMap((batch) => batch.events)
    .filter((event) => event.type === 'event_added')
    .map((event) => JSON.parse(event.dataJson) as { event: { id: string; type: string } })
    .filter((data) => data.event.type === 'message')
    .map((data) => data.event.id);
}

/** A chat's message events as one of its users reads it (every thread, oldest first). */
async function messagesSeenBy(
  client: ChatClient,
  chatId: string,
): Promise<{ id: string; text: string }[]> {
  const { threads } = (await client.request('list_threads', {
    chat_id: chatId,
    limit: 100,
    sort_order: 'asc',
  })) as {
    threads: { events: { id: string; type: string; text?: string }[] }[];
  };
  return threads
    .flatMap((thread) => thread.events)
    .filter((event) => event.type === 'message')
    .map((event) => ({ id: event.id, text: String(event.text) }));
}

/** Ids of the events the webhooks received carried (incoming_event's, incoming_chat's thread's). */
function eventIdsDelivered(): Set<string> {
  const ids = new Set<string>();
  for (const webhook of receiver.received) {
    const payload = webhook.body.payload as {
      event?: { id: string };
      chat?: { thread?: { events?: { id: string }[] } };
    };
    if (payload.event) ids.add(payload.event.id);
    for (const event of payload.chat?.thread?.events ?? []) ids.add(event.id);
  }
  return ids;
}

/** Every process is up (none crashed) and ready (its NATS and Postgres are back). */
async function everyProcessReady(): Promise<void> {
  for (const process of platform.processes) {
    const name = `${process.service}-${process.replica}`;
    expect(process.child.exitCode, `${name} exited`).toBeNull();
    expect(process.child.signalCode, `${name} was killed`).toBeNull();
    const response = await fetch(`${process.healthUrl}/readyz`).catch(() => undefined);
    expect(response?.status, `${name} ready`).toBe(200);
  }
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/**
 * The scenario both tests run: a team chats under load while `faults` happen, then every
 * acknowledged event must be in the log, the projections, both sides' reads and a webhook, once.
 * `felt` checks that the faults reached the clients (else the run proves nothing).
 */
async function loseNothingWhile(
  faults: () => Promise<void>,
  felt: (outcome: { retried: number; agents: RtmAgent[] }) => void,
): Promise<void> {
  const clientsBefore = clients.length;
  const team = await createTeam();
  await registerWebhooks(team);
  const agentClients = await connectAgents(team);
  const chats = await timed('chats started', async () => {
    const started: Chat[] = [];
    for (let index = 0; index < customers; index += 1) {
      started.push(await startChat(team, agentClients, index));
    }
    return started;
  });

  const stop = new AbortController();
  let faultsDoneAt = Number.POSITIVE_INFINITY;
  const giveUpAt = () => faultsDoneAt + 30_000;
  const load = [
    ...chats.map((chat) =>
      chat.customer.run({
        chatIds: [chat.chatId],
        pauseMs: [600, 1400],
        stop: stop.signal,
        giveUpAt,
      }),
    ),
    ...agentClients.flatMap((agent) => {
      const chatIds = chats.filter((chat) => chat.agent === agent).map((chat) => chat.chatId);
      if (chatIds.length === 0) return [];
      return [agent.run({ chatIds, pauseMs: [300, 700], stop: stop.signal, giveUpAt })];
    }),
  ];
  await sleep(2000);
  await timed('faults', faults);
  faultsDoneAt = Date.now();
  stop.abort();
  await timed('load drained', () => Promise.all(load));

  await timed('every process ready', () => eventually(everyProcessReady, settleTimeoutMs));

  const sent = [
    ...chats.map((chat) => chat.opening),
    ...clients.slice(clientsBefore).flatMap((client) => client.sent),
  ];
  const acknowledged = sent.filter((message) => message.eventId !== undefined);
  const retried = sent.filter((message) => message.attempts > 1).length;
  console.info(
    `faults: ${acknowledged.length} acknowledged of ${sent.length} sent, ${retried} after a retry; timings (ms) ${JSON.stringify(timings)}`,
  );
  expect(sent.filter((message) => message.refusal !== undefined)).toEqual([]);
  expect(sent.filter((message) => message.eventId === undefined)).toEqual([]);
  felt({ retried, agents: agentClients });

  // The projections: every acknowledged event once, under its own id; no message twice.
  await timed('projections settled', () =>
    eventually(async () => {
      const projected = await projectedMessages(team.organizationId);
      const textCounts = countBy(projected, (event) => event.text);
      expect([...textCounts].filter(([, count]) => count > 1)).toEqual([]);
      const projectedIds = new Map(projected.map((event) => [event.id, event]));
      const lost = acknowledged.filter(
        (message) => projectedIds.get(message.eventId!)?.text !== message.text,
      );
      expect(lost).toEqual([]);
      expect(projected.length).toBe(acknowledged.length);
    }, settleTimeoutMs),
  );

  // The log agrees: each acknowledged event was appended once.
  const bus = await connectBus({ url: infrastructure.natsUrl, name: 'faults-e2e' });
  try {
    for (const chat of chats) {
      const logged = await loggedMessages(bus, team.organizationId, chat.chatId);
      const expected = acknowledged.filter((message) => message.chatId === chat.chatId);
      expect(logged.slice().sort()).toEqual(expected.map((message) => message.eventId).sort());
    }
  } finally {
    await bus.connection.drain();
  }

  // Each chat reads the same to its customer and its agent: what the projection holds. Its
  // agent is still the one it was given (nobody lost a chat to a restart).
  const projected = await projectedMessages(team.organizationId);
  for (const chat of chats) {
    const { users } = await chat.customer.request('get_chat', { chat_id: chat.chatId });
    expect(
      (users as { id: string; type: string }[]).filter((user) => user.type === 'agent'),
    ).toEqual([expect.objectContaining({ id: chat.agentId })]);
    const expected = projected
      .filter((event) => event.chat_id === chat.chatId)
      .map(({ id, text }) => ({ id, text }));
    expect(await messagesSeenBy(chat.customer, chat.chatId)).toEqual(expected);
    expect(await messagesSeenBy(chat.agent, chat.chatId)).toEqual(expected);
  }

  // A webhook went out for every acknowledged event (at least once).
  await timed('webhooks delivered', () =>
    eventually(() => {
      const delivered = eventIdsDelivered();
      expect(acknowledged.filter((message) => !delivered.has(message.eventId!))).toEqual([]);
    }, settleTimeoutMs),
  );

  // Pushes flow again: a customer's message now reaches their agent's socket at once.
  await timed('pushes after the faults', () =>
    Promise.all(
      chats.map(async (chat) => {
        const sent = await chat.customer.request('send_event', {
          chat_id: chat.chatId,
          event: { type: 'message', text: `${chat.customer.name} after the faults` },
        });
        const socket = chat.agent.socket();
        expect(socket, `${chat.agent.name} connected`).toBeDefined();
        await socket!.waitForPush(
          'incoming_event',
          (payload) => (payload.event as { id: string }).id === sent.event_id,
          10_000,
        );
      }),
    ),
  );

  // The router still routes: a chat started now gets an agent.
  const late = await timed('late chat routed', () => startChat(team, agentClients, customers));
  expect(agentClients).toContain(late.agent);
  console.info(`faults: timings (ms) ${JSON.stringify(timings)}`);
}

describe('faults under load (private NATS and Postgres)', () => {
  it('loses and doubles nothing acknowledged while every service, NATS and Postgres restart', async ({
    skip,
  }) => {
    if (missing.length > 0) skip(`not installed: ${missing.join('; ')}`);
    await loseNothingWhile(injectFaults, ({ retried }) => expect(retried).toBeGreaterThan(0));
  }, 240_000);

  it('loses and doubles nothing acknowledged through a rolling restart of every service', async ({
    skip,
  }) => {
    if (missing.length > 0) skip(`not installed: ${missing.join('; ')}`);
    await loseNothingWhile(rollingRestart, ({ agents }) => {
      // Each gateway, asked to stop, told its agents to come back elsewhere before closing.
      const told = agents.flatMap((agent) => agent.disconnects);
      expect(told.length).toBeGreaterThan(0);
      expect(new Set(told)).toEqual(new Set(['internal_error']));
    });
  }, 240_000);
});
