import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CookieJar,
  createWebClient,
  RtmClient,
  requestCustomerToken,
  ThreadlineApiError,
} from '@threadline/sdk';
import {
  createTestDatabase,
  type Platform,
  startPlatform,
  type TestDatabase,
  uniqueNamespace,
} from '@threadline/testkit';
import { testInfrastructure } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver } from './e2e-world.ts';

/**
 * The walking skeleton, end to end: the admin CLI sets up an organization, a customer and an agent
 * chat over RTM and the Web API through two replicas of every service, on real NATS and Postgres,
 * and a webhook reaches a local receiver.
 */
const repositoryRoot = join(import.meta.dirname, '../../../..');
const run = promisify(execFile);

async function threadline(
  databaseUrl: string,
  ...args: string[]
): Promise<Record<string, unknown>> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', join(repositoryRoot, 'packages/cli/src/main.ts'), ...args],
    {
      env: { ...process.env, DATABASE_URL: databaseUrl },
    },
  );
  return JSON.parse(stdout) as Record<string, unknown>;
}

async function eventually<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('one chat through all four services, two replicas each', () => {
  let database: TestDatabase;
  let platform: Platform;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  const sockets: RtmClient[] = [];

  let organizationId: string;
  let agentId: string;
  let agentCredentials: { accountId: string; personalAccessToken: string };
  let customerClientId: string;
  let otherAgentCredentials: { accountId: string; personalAccessToken: string };

  beforeAll(async () => {
    const infrastructure = testInfrastructure();
    database = await createTestDatabase(infrastructure.databaseUrl);

    const organization = await threadline(database.url, 'organization', 'create', '--name', 'Acme');
    organizationId = String(organization.id);
    const group = await threadline(
      database.url,
      'group',
      'create',
      '--organization',
      organizationId,
      '--name',
      'Support',
    );
    const agent = await threadline(
      database.url,
      'agent',
      'create',
      '--organization',
      organizationId,
      '--email',
      'ann@acme.test',
      '--name',
      'Ann',
      '--groups',
      `0,${String(group.id)}`,
      '--role',
      'owner',
    );
    agentId = String(agent.id);
    agentCredentials = {
      accountId: String(agent.account_id),
      personalAccessToken: String(agent.pat),
    };
    const client = await threadline(
      database.url,
      'client',
      'create',
      '--organization',
      organizationId,
      '--name',
      'Widget',
    );
    customerClientId = String(client.client_id);

    const otherOrganization = await threadline(
      database.url,
      'organization',
      'create',
      '--name',
      'Other',
    );
    const otherAgent = await threadline(
      database.url,
      'agent',
      'create',
      '--organization',
      String(otherOrganization.id),
      '--email',
      'olga@other.test',
      '--name',
      'Olga',
    );
    otherAgentCredentials = {
      accountId: String(otherAgent.account_id),
      personalAccessToken: String(otherAgent.pat),
    };

    receiver = await startWebhookReceiver();
    platform = await startPlatform({
      natsUrl: infrastructure.natsUrl,
      databaseUrl: database.url,
      namespace: uniqueNamespace('e2e'),
      replicas: 2,
      logDir: join(repositoryRoot, '.threadline/test-logs', `e2e-${Date.now()}`),
    });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.close().catch(() => undefined)));
    await platform?.stop();
    receiver?.server.close();
    await database?.drop();
  }, 60_000);

  async function connect(api: 'agent' | 'customer', gateway: number): Promise<RtmClient> {
    const socket = await RtmClient.connect({
      baseUrl: platform.gatewayUrls[gateway]!,
      api,
      ...(api === 'customer' ? { organizationId } : {}),
    });
    sockets.push(socket);
    return socket;
  }

  it('carries a conversation from start to webhook', async () => {
    const [gatewayA, gatewayB] = platform.gatewayUrls as [string, string];
    const agentAuthorization = `Basic ${Buffer.from(`${agentCredentials.accountId}:${agentCredentials.personalAccessToken}`).toString('base64')}`;

    // A webhook for incoming_event, registered and enabled with the Configuration API.
    const configuration = createWebClient({
      baseUrl: gatewayA,
      api: 'configuration',
      credentials: agentCredentials,
    });
    const registered = await configuration.call('register_webhook', {
      action: 'incoming_event',
      secret_key: 'hook-secret',
      url: receiver.url,
      owner_client_id: customerClientId,
      type: 'license',
    });
    expect(registered.id).toEqual(expect.any(String));
    await configuration.call('enable_license_webhooks', { owner_client_id: customerClientId });

    // The agent logs in on one gateway and accepts chats.
    const agent = await connect('agent', 0);
    const agentLogin = await agent.request('login', { token: agentAuthorization });
    expect(agentLogin).toMatchObject({
      license: { organization_id: organizationId },
      my_profile: { id: agentId },
    });
    await agent.request('set_routing_status', { status: 'accepting_chats' });

    // The customer gets a token with the cookie grant and logs in on the other gateway.
    const cookies = new CookieJar();
    const token = await requestCustomerToken(gatewayB, {
      grantType: 'cookie',
      clientId: customerClientId,
      organizationId,
      cookies,
    });
    expect(token).toMatchObject({ token_type: 'Bearer', organization_id: organizationId });
    const again = await requestCustomerToken(gatewayA, {
      grantType: 'cookie',
      clientId: customerClientId,
      organizationId,
      cookies,
    });
    expect(again.entity_id).toBe(token.entity_id);
    const customerId = token.entity_id;

    const customer = await connect('customer', 1);
    const customerLogin = await customer.request('login', {
      token: `Bearer ${token.access_token}`,
    });
    expect(customerLogin).toMatchObject({ customer: { id: customerId }, has_active_thread: false });

    // The customer starts a chat with a message; the router assigns the agent.
    const started = await customer.request('start_chat', {
      chat: { thread: { events: [{ type: 'message', text: 'Hello, I need help' }] } },
    });
    const chatId = String(started.chat_id);
    const firstThreadId = String(started.thread_id);
    expect(started.event_ids).toHaveLength(1);

    const customersIncomingChat = await customer.waitForPush(
      'incoming_chat',
      (payload) => (payload.chat as { id: string }).id === chatId,
    );
    expect(customersIncomingChat.request_id).toBeDefined();
    const agentsIncomingChat = await agent.waitForPush(
      'incoming_chat',
      (payload) => (payload.chat as { id: string }).id === chatId,
    );
    expect(agentsIncomingChat.request_id).toBeUndefined();
    const assignedChat = agentsIncomingChat.payload as {
      chat: { users: { id: string; type: string }[]; thread: { events: { text?: string }[] } };
    };
    expect(assignedChat.chat.users.map((user) => user.id).sort()).toEqual(
      [agentId, customerId].sort(),
    );
    expect(
      assignedChat.chat.thread.events.some((event) => event.text === 'Hello, I need help'),
    ).toBe(true);
    await customer.waitForPush(
      'user_added_to_chat',
      (payload) => (payload.user as { id: string }).id === agentId,
    );
    await customer.waitForPush('incoming_event', (payload) => {
      const event = payload.event as { type: string; system_message_type?: string };
      return (
        event.type === 'system_message' &&
        String(event.system_message_type).startsWith('routing.assigned')
      );
    });

    // The agent answers over RTM and over the Web API; the customer hears both.
    await agent.request('send_event', {
      chat_id: chatId,
      event: { type: 'message', text: 'Hi! Ann here.' },
    });
    const agentWeb = createWebClient({
      baseUrl: gatewayB,
      api: 'agent',
      credentials: agentCredentials,
    });
    const webEvent = await agentWeb.call('send_event', {
      chat_id: chatId,
      event: { type: 'message', text: 'Sent over the Web API' },
    });
    expect(webEvent.event_id).toMatch(new RegExp(`^${firstThreadId}_\\d+$`));
    for (const text of ['Hi! Ann here.', 'Sent over the Web API']) {
      await customer.waitForPush(
        'incoming_event',
        (payload) => (payload.event as { text?: string }).text === text,
      );
    }

    // Reads come from the projections and include what was just written, on both APIs and transports.
    const customerWeb = createWebClient({
      baseUrl: gatewayA,
      api: 'customer',
      credentials: { bearer: token.access_token },
      organizationId,
    });
    const texts = (chat: Record<string, unknown>) =>
      (chat.thread as { events: { text?: string }[] }).events
        .map((event) => event.text)
        .filter(Boolean);
    for (const chat of [
      await agent.request('get_chat', { chat_id: chatId }),
      await agentWeb.call('get_chat', { chat_id: chatId }),
      await customer.request('get_chat', { chat_id: chatId }),
      await customerWeb.call('get_chat', { chat_id: chatId }),
    ]) {
      expect(texts(chat)).toEqual(
        expect.arrayContaining(['Hello, I need help', 'Hi! Ann here.', 'Sent over the Web API']),
      );
    }
    const agentChats = await agentWeb.call('list_chats', {});
    expect((agentChats.chats_summary as { id: string }[]).map((chat) => chat.id)).toContain(chatId);
    const customerChats = await customer.request('list_chats', {});
    expect((customerChats.chats_summary as { id: string }[]).map((chat) => chat.id)).toEqual([
      chatId,
    ]);

    // Deactivation closes the thread; sending then fails; resuming opens a new thread.
    await agent.request('deactivate_chat', { id: chatId });
    await customer.waitForPush('chat_deactivated', (payload) => payload.chat_id === chatId);
    await expect(
      customer.request('send_event', {
        chat_id: chatId,
        event: { type: 'message', text: 'Still there?' },
      }),
    ).rejects.toMatchObject({
      type: 'chat_inactive',
    });
    const resumed = await customer.request('resume_chat', { chat: { id: chatId } });
    expect(resumed.thread_id).not.toBe(firstThreadId);
    const threads = (await agentWeb.call('list_threads', { chat_id: chatId })).threads as {
      id: string;
      active: boolean;
    }[];
    expect(threads.map((thread) => thread.id).sort()).toEqual(
      [firstThreadId, String(resumed.thread_id)].sort(),
    );
    expect(threads.filter((thread) => thread.active).map((thread) => thread.id)).toEqual([
      String(resumed.thread_id),
    ]);
    for (const view of [
      agentWeb.call('list_threads', { chat_id: chatId }),
      customer.request('list_threads', { chat_id: chatId }),
    ]) {
      expect(((await view).threads as unknown[]).length).toBe(2);
    }

    // The webhook arrived in LiveChat's envelope.
    const hook = await eventually(() =>
      receiver.received.find(
        (webhook) =>
          (webhook.body.payload as { event?: { text?: string } }).event?.text === 'Hi! Ann here.',
      ),
    );
    expect(hook.body).toMatchObject({
      webhook_id: registered.id,
      secret_key: 'hook-secret',
      action: 'incoming_event',
      organization_id: organizationId,
      payload: { chat_id: chatId, thread_id: firstThreadId },
    });

    // Bad input gets the protocol's error envelope, and nothing crashes.
    customer.sendRaw('{not json');
    customer.sendRaw(
      JSON.stringify({ action: 'send_event', request_id: 'bad-1', payload: { chat_id: 7 } }),
    );
    await expect(
      customer.request('send_event', { chat_id: chatId } as never),
    ).rejects.toMatchObject({ type: 'validation' });
    const intruder = await connect('agent', 1);
    await expect(intruder.request('login', { token: 'Bearer not-a-token' })).rejects.toMatchObject({
      type: 'authentication',
    });
    const otherWeb = createWebClient({
      baseUrl: gatewayA,
      api: 'agent',
      credentials: otherAgentCredentials,
    });
    const denied = await otherWeb
      .call('get_chat', { chat_id: chatId })
      .catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(ThreadlineApiError);
    expect(['not_found', 'authorization']).toContain((denied as ThreadlineApiError).type);
    const badToken = createWebClient({
      baseUrl: gatewayB,
      api: 'agent',
      credentials: { bearer: 'nope' },
    });
    await expect(badToken.call('list_chats', {})).rejects.toMatchObject({
      type: 'authentication',
      status: 401,
    });

    // Every process is still up.
    for (const process of platform.processes) {
      expect((await fetch(`${process.healthUrl}/healthz`)).status).toBe(200);
    }
  }, 120_000);
});
