import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AccountsDatabase,
  accountsSchema,
  createAgent,
  createClient,
  createOrganization,
} from '@threadline/accounts';
import { createDatabase, type Kysely } from '@threadline/postgres';
import { createWebClient, type WebClient } from '@threadline/sdk';
import {
  freePort,
  type IsolatedPlatform,
  type NodeProcess,
  startIsolatedPlatform,
  startNodeProcess,
} from '@threadline/testkit';
import { eventually, testInfrastructure } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeState } from '../src/bridge/state.ts';

/**
 * The stand-in external service and the bridge as their own processes, against the whole
 * platform: an external user and an agent talk through the bridge, and the bridge is killed
 * (SIGKILL) in the middle, with its state set back as if it had crashed before recording
 * anything, then restarted. Nothing may be lost or doubled on either side.
 */
const exampleRoot = join(import.meta.dirname, '..');
const externalToken = 'external-test-token';

let world: IsolatedPlatform;
let accounts: Kysely<AccountsDatabase>;
let externalService: NodeProcess;
let bridge: NodeProcess;
let externalUrl: string;
let stateFile: string;
let ann: WebClient;
let configuration: WebClient;
let clientId: string;

beforeAll(async () => {
  world = await startIsolatedPlatform({
    ...testInfrastructure(),
    name: 'example-channel-bridge',
    replicas: 1,
    // Webhooks that failed while the bridge was down are retried within a second, not 30 s.
    environment: {
      WEBHOOK_BACKOFF_BASE_MS: '200',
      WEBHOOK_BACKOFF_MAX_MS: '1000',
      WEBHOOK_BREAKER_COOLDOWN_MS: '500',
      WEBHOOK_BREAKER_MAX_COOLDOWN_MS: '1000',
    },
  });
  accounts = createDatabase<AccountsDatabase>({
    url: world.databaseUrl,
    schema: accountsSchema,
    poolSize: 1,
  });
  const organization = await createOrganization(accounts, { name: 'Bridge example' });
  const created = await createAgent(accounts, {
    organizationId: organization.id,
    email: 'ann@bridge-example.test',
    name: 'Ann',
    role: 'owner',
  });
  clientId = (await createClient(accounts, { organizationId: organization.id, name: 'Bridge' })).id;
  const credentials = { accountId: created.agent.accountId, personalAccessToken: created.pat };
  ann = createWebClient({ baseUrl: world.gatewayUrl, api: 'agent', credentials });
  configuration = createWebClient({ baseUrl: world.gatewayUrl, api: 'configuration', credentials });
  await ann.call('set_routing_status', { status: 'accepting_chats' });

  const externalPort = await freePort();
  externalUrl = `http://127.0.0.1:${externalPort}`;
  externalService = await startNodeProcess({
    name: 'external-service',
    entry: join(exampleRoot, 'src/external/main.ts'),
    cwd: exampleRoot,
    logDir: world.logDir,
    readyUrl: `${externalUrl}/healthz`,
    environment: { PORT: String(externalPort), EXTERNAL_API_TOKEN: externalToken },
  });
  stateFile = join(await mkdtemp(join(tmpdir(), 'channel-bridge-')), 'state.json');
  // A fixed port: webhooks retried while the bridge is down must find it again at the same URL.
  const bridgePort = await freePort();
  bridge = await startNodeProcess({
    name: 'channel-bridge',
    entry: join(exampleRoot, 'src/bridge/main.ts'),
    cwd: exampleRoot,
    logDir: world.logDir,
    readyUrl: `http://127.0.0.1:${bridgePort}/healthz`,
    environment: {
      THREADLINE_URL: world.gatewayUrl,
      THREADLINE_ORGANIZATION_ID: organization.id,
      THREADLINE_ACCOUNT_ID: created.agent.accountId,
      THREADLINE_PAT: created.pat,
      THREADLINE_CLIENT_ID: clientId,
      EXTERNAL_API_URL: externalUrl,
      EXTERNAL_API_TOKEN: externalToken,
      STATE_FILE: stateFile,
      PORT: String(bridgePort),
      WEBHOOK_SECRET: 'bridge-example-webhook-secret',
    },
  });
});

afterAll(async () => {
  await bridge?.stop();
  await externalService?.stop();
  await accounts?.destroy();
  await world?.stop();
});

async function external(method: 'GET' | 'POST', path: string, body?: unknown) {
  const response = await fetch(new URL(path, externalUrl), {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.ok).toBe(true);
  return (await response.json()) as Record<string, unknown>;
}

/** The texts of the external user's inbox, in order. */
async function inbox(userId: string): Promise<string[]> {
  const { messages } = (await external('GET', `/users/${userId}/inbox`)) as {
    messages: { text: string }[];
  };
  return messages.map((message) => message.text);
}

/** The one chat Ann has with the bridged customer, and the customer's messages in its last thread. */
async function annsChat() {
  const { chats_summary } = (await ann.call('list_chats', {})) as unknown as {
    chats_summary: { id: string }[];
  };
  expect(chats_summary).toHaveLength(1);
  const chatId = chats_summary[0]!.id;
  const chat = await ann.call('get_chat', { chat_id: chatId });
  const users = chat.users as { id: string; type: string }[];
  const customerId = users.find((user) => user.type === 'customer')!.id;
  const events = (chat.thread as { events: { type: string; text?: string; author_id?: string }[] })
    .events;
  const texts = (authorId: string) =>
    events.filter((e) => e.type === 'message' && e.author_id === authorId).map((e) => e.text);
  return { chatId, fromCustomer: texts(customerId) };
}

async function annSays(chatId: string, text: string) {
  await ann.call('send_event', { chat_id: chatId, event: { type: 'message', text } });
}

const waitMs = 30_000;

describe('the channel bridge example', () => {
  it('relays both ways exactly once, through a crash and restart of the bridge', async () => {
    const { id: uma } = (await external('POST', '/users', { name: 'Uma' })) as { id: string };
    await external('POST', `/users/${uma}/messages`, { text: 'Hello from the app' });
    const { chatId } = await eventually(async () => {
      const chat = await annsChat();
      expect(chat.fromCustomer).toEqual(['Hello from the app']);
      return chat;
    }, waitMs);
    await annSays(chatId, 'Hi Uma, Ann here');
    await eventually(async () => expect(await inbox(uma)).toEqual(['Hi Uma, Ann here']), waitMs);

    await bridge.kill();
    await external('POST', `/users/${uma}/messages`, { text: 'Are you still there?' });
    await annSays(chatId, 'Yes, still here');
    // As if the bridge had died after relaying each message but before recording it.
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as BridgeState;
    writeFileSync(stateFile, JSON.stringify({ ...state, nextUpdateId: 1, sentEventIds: [] }));
    await bridge.restart();

    await eventually(async () => {
      expect((await annsChat()).fromCustomer).toEqual([
        'Hello from the app',
        'Are you still there?',
      ]);
      expect(await inbox(uma)).toEqual(['Hi Uma, Ann here', 'Yes, still here']);
    }, waitMs);

    // Threadline delivers every webhook of the bridge again (a receiver's 2xx lost, a replay).
    const [webhook] = (await configuration.call('list_webhooks', {
      owner_client_id: clientId,
    })) as unknown as { id: string }[];
    const { deliveries } = (await configuration.call('list_webhook_deliveries', {
      webhook_id: webhook!.id,
      owner_client_id: clientId,
    })) as unknown as { deliveries: { id: string }[] };
    for (const delivery of deliveries) {
      await configuration.call('redeliver_webhook_delivery', {
        delivery_id: delivery.id,
        owner_client_id: clientId,
      });
    }
    // The thread closes; the next external message goes on in the same chat (resume_chat), and
    // a repeat of anything earlier would have arrived before this last exchange.
    await ann.call('deactivate_chat', { id: chatId });
    await external('POST', `/users/${uma}/messages`, { text: 'Thanks!' });
    await eventually(async () => {
      const chat = await annsChat();
      expect(chat.chatId).toBe(chatId);
      expect(chat.fromCustomer).toEqual(['Thanks!']);
    }, waitMs);
    await annSays(chatId, 'Bye');
    await eventually(
      async () => expect(await inbox(uma)).toEqual(['Hi Uma, Ann here', 'Yes, still here', 'Bye']),
      waitMs,
    );
  });
});
