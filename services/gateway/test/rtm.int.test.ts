import {
  createBot,
  createCustomer,
  createGroup,
  createOrganization,
  findCustomer,
  issueBotToken,
  issueCustomerToken,
} from '@threadline/accounts';
import type { Command } from '@threadline/contracts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { agentBasic, eventually, type Harness, startHarness } from './harness.ts';
import { TestSocket } from './rtm-client.ts';

let harness: Harness;
let chatStore: Command[];
let router: Command[];
/** Lets a test hold `get_chat` answers back (pending-limit test). */
let getChat: (command: Command) => unknown;

beforeAll(async () => {
  harness = await startHarness();
});

beforeEach(() => {
  getChat = () => ({ id: 'PJ0MRSHTDG' });
  chatStore = harness.respond(harness.subjects.chatStoreQuery, (command) => {
    if (command.action === 'get_chat') return getChat(command);
    return command.requester?.userType === 'customer'
      ? {
          chats_summary: [
            {
              id: 'PJ0MRSHTDG',
              active: true,
              users: [
                { id: command.requester.userId, events_seen_up_to: '2030-01-01T00:00:00.000000Z' },
              ],
              last_event_per_type: {
                message: {
                  event: {
                    author_id: 'agent@harness.test',
                    created_at: '2030-01-02T00:00:00.000000Z',
                  },
                },
              },
            },
          ],
          total_chats: 1,
        }
      : { chats_summary: [{ id: 'PJ0MRSHTDG' }], found_chats: 1 };
  });
  router = harness.respond(harness.subjects.routerExecute, (command) =>
    command.action === 'list_routing_statuses'
      ? [{ agent_id: 'agent@harness.test', status: 'accepting_chats' }]
      : {},
  );
});

afterEach(async () => {
  await TestSocket.closeAll();
  // Let the gateway see the closes (and tell the router) before the next test's responders start.
  await new Promise((resolve) => setTimeout(resolve, 100));
  await harness.stopResponders();
});

afterAll(async () => {
  await harness?.close();
});

async function agentSocket(version = '3.6'): Promise<TestSocket> {
  return TestSocket.open(harness.gateway.url, `/v${version}/agent/rtm/ws`);
}

async function loggedInAgent(payload: Record<string, unknown> = {}): Promise<TestSocket> {
  const socket = await agentSocket();
  const response = await socket.request('login', { token: agentBasic(harness), ...payload });
  expect(response.success, JSON.stringify(response)).toBe(true);
  return socket;
}

async function customerToken(groupId?: number): Promise<{ token: string; customerId: string }> {
  const customer = await createCustomer(harness.db, { organizationId: harness.organization.id });
  const issued = await issueCustomerToken(harness.db, {
    organizationId: harness.organization.id,
    customerId: customer.id,
    ...(groupId === undefined ? {} : { groupId }),
  });
  return { token: `Bearer ${issued.accessToken}`, customerId: customer.id };
}

async function customerSocket(): Promise<TestSocket> {
  return TestSocket.open(
    harness.gateway.url,
    `/v3.5/customer/rtm/ws?organization_id=${harness.organization.id}`,
  );
}

describe('agent login', () => {
  it('answers with license, profile and chats, and makes the agent accept chats', async () => {
    const socket = await agentSocket();
    const requestId = socket.send('login', { token: agentBasic(harness) });
    const response = await socket.response(requestId);
    expect(response).toMatchObject({ type: 'response', action: 'login', success: true });
    expect(response.payload).toMatchObject({
      license: { organization_id: harness.organization.id, in_trial: false },
      my_profile: {
        id: 'agent@harness.test',
        email: 'agent@harness.test',
        name: 'Agent Smith',
        permission: 'administrator',
        routing_status: 'accepting_chats',
      },
      chats_summary: [{ id: 'PJ0MRSHTDG' }],
    });
    const setStatus = router.find((command) => command.action === 'agent_connected');
    // The session begins on this gateway (named by its process id), accepting chats.
    expect(JSON.parse(setStatus!.payloadJson)).toEqual({
      gateway_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'accepting_chats',
      reconnect: false,
    });
    expect(setStatus?.requester).toMatchObject({ userId: 'agent@harness.test', maxChatsCount: 7 });
    // The connection is named (the push goes there too) but no request: nobody asked for it.
    expect(setStatus?.requester?.connectionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(setStatus?.requester?.requestId).toBe('');
    const listChats = chatStore.find((command) => command.action === 'list_chats');
    expect(listChats?.requester?.requestId).toBe(requestId);
    expect(JSON.parse(listChats!.payloadJson)).toEqual({ filters: { active: true }, limit: 100 });
    expect(listChats?.requester?.connectionId).toMatch(/^[0-9a-f-]{36}$/);
    socket.close();
  });

  it('starts away when asked, and later connections do not change the status', async () => {
    const first = await loggedInAgent({ away: true });
    const setStatus = router.find((command) => command.action === 'agent_connected');
    expect(JSON.parse(setStatus!.payloadJson)).toMatchObject({ status: 'not_accepting_chats' });
    const second = await loggedInAgent();
    expect(router.filter((command) => command.action === 'agent_connected')).toHaveLength(1);
    expect(router.at(-1)?.action).toBe('list_routing_statuses');
    first.close();
    second.close();
    await Promise.all([first.closed, second.closed]);
  });

  it('tells the router the agent left only when its last connection closes', async () => {
    const first = await loggedInAgent();
    const second = await loggedInAgent();
    first.close();
    await first.closed;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(router.some((command) => command.action === 'agent_disconnected')).toBe(false);
    second.close();
    await eventually(() => router.some((command) => command.action === 'agent_disconnected'));
    const disconnected = router.find((command) => command.action === 'agent_disconnected');
    expect(disconnected?.requester?.userId).toBe('agent@harness.test');
    const connected = router.find((command) => command.action === 'agent_connected');
    const gatewayId = JSON.parse(connected!.payloadJson).gateway_id;
    expect(JSON.parse(disconnected!.payloadJson)).toEqual({
      gateway_id: gatewayId,
      reason: 'disconnected',
    });
  });

  it('tells the router an agent who logged out signed out', async () => {
    const socket = await loggedInAgent();
    expect(await socket.request('logout', {})).toMatchObject({ success: true });
    await eventually(() => router.some((command) => command.action === 'agent_disconnected'));
    const reasons = router
      .filter((command) => command.action === 'agent_disconnected')
      .map((command) => JSON.parse(command.payloadJson).reason);
    expect(reasons).toEqual(['signed_out']);
  });

  it('refuses bad tokens, bots and customers, and still accepts a good login afterwards', async () => {
    const socket = await agentSocket();
    const bad = await socket.request('login', { token: 'Bearer dal:nope' });
    expect(bad).toMatchObject({ success: false, payload: { error: { type: 'authentication' } } });
    const { bot, secret } = await createBot(harness.db, {
      organizationId: harness.organization.id,
      name: 'B',
    });
    const botToken = await issueBotToken(harness.db, {
      organizationId: harness.organization.id,
      botId: bot.id,
      secret,
    });
    const asBot = await socket.request('login', { token: `Bearer ${botToken.accessToken}` });
    expect(asBot).toMatchObject({ success: false, payload: { error: { type: 'authorization' } } });
    const asCustomer = await socket.request('login', { token: (await customerToken()).token });
    expect(asCustomer).toMatchObject({
      success: false,
      payload: { error: { type: 'authorization' } },
    });
    const missingToken = await socket.request('login', {});
    expect(missingToken).toMatchObject({
      success: false,
      payload: { error: { type: 'validation' } },
    });
    const good = await socket.request('login', { token: agentBasic(harness) });
    expect(good.success).toBe(true);
    const twice = await socket.request('login', { token: agentBasic(harness) });
    expect(twice).toMatchObject({ success: false, payload: { error: { type: 'validation' } } });
    socket.close();
  });
});

describe('RTM requests', () => {
  it('answers ping before and after login, and authentication for other requests before login', async () => {
    const socket = await agentSocket();
    expect(await socket.request('ping')).toMatchObject({
      action: 'ping',
      success: true,
      payload: {},
    });
    socket.sendRaw(JSON.stringify({ action: 'ping' }));
    await socket.waitFor((frame) => frame.action === 'ping' && frame.request_id === undefined);
    const early = await socket.request('get_chat', { chat_id: 'PJ0MRSHTDG' });
    expect(early).toMatchObject({ success: false, payload: { error: { type: 'authentication' } } });
    await socket.request('login', { token: agentBasic(harness) });
    expect((await socket.request('ping')).success).toBe(true);
    const chat = await socket.request('get_chat', { chat_id: 'PJ0MRSHTDG' });
    expect(chat).toMatchObject({
      action: 'get_chat',
      success: true,
      payload: { id: 'PJ0MRSHTDG' },
    });
    socket.close();
  });

  it('answers garbage and binary frames with validation and keeps the connection', async () => {
    const socket = await loggedInAgent();
    socket.sendRaw('not json at all');
    socket.sendRaw('[1,2,3]');
    socket.sendRaw(JSON.stringify({ request_id: 'no-action' }));
    socket.sendRaw(JSON.stringify({ action: 42, request_id: 'bad-action' }));
    socket.sendRaw(Buffer.from([0, 1, 2, 3]), true);
    await eventually(() => socket.frames.filter((frame) => frame.success === false).length >= 5);
    const failures = socket.frames.filter((frame) => frame.success === false);
    for (const failure of failures) {
      expect(failure).toMatchObject({
        type: 'response',
        payload: { error: { type: 'validation' } },
      });
    }
    expect(failures.find((frame) => frame.request_id === 'no-action')).toBeDefined();
    const invalidPayload = await socket.request('send_event', { chat_id: 'X' });
    expect(invalidPayload).toMatchObject({
      success: false,
      payload: { error: { type: 'validation' } },
    });
    const unknown = await socket.request('frobnicate');
    expect(unknown).toMatchObject({ success: false, payload: { error: { type: 'not_found' } } });
    expect((await socket.request('ping')).success).toBe(true);
    socket.close();
  });

  it("refuses requests for an older version than the connection's", async () => {
    const socket = await loggedInAgent();
    const older = await socket.request('get_chat', { chat_id: 'PJ0MRSHTDG' }, { version: '3.5' });
    expect(older).toMatchObject({
      success: false,
      payload: { error: { type: 'unsupported_version' } },
    });
    const newer = await socket.request('get_chat', { chat_id: 'PJ0MRSHTDG' }, { version: '3.7' });
    expect(newer.success).toBe(true);
    expect(chatStore.at(-1)?.apiVersion).toBe('3.7');
    socket.close();
  });

  it('allows at most 10 pending requests per connection', async () => {
    const releases: (() => void)[] = [];
    getChat = () => new Promise((resolve) => releases.push(() => resolve({ id: 'PJ0MRSHTDG' })));
    const socket = await loggedInAgent();
    const ids = Array.from({ length: 10 }, () =>
      socket.send('get_chat', { chat_id: 'PJ0MRSHTDG' }),
    );
    await eventually(() => releases.length === 10);
    const refused = await socket.request('get_chat', { chat_id: 'PJ0MRSHTDG' });
    expect(refused).toMatchObject({
      success: false,
      payload: { error: { type: 'pending_requests_limit_reached' } },
    });
    expect((await socket.request('ping')).success).toBe(true);
    getChat = () => ({ id: 'PJ0MRSHTDG' });
    for (const release of releases) release();
    for (const id of ids) expect((await socket.response(id)).success).toBe(true);
    const afterwards = await socket.request('get_chat', { chat_id: 'PJ0MRSHTDG' });
    expect(afterwards.success).toBe(true);
    socket.close();
  });
});

describe('pushes', () => {
  it('reach every connection of the user, with request_id only on the one that asked', async () => {
    const sent = harness.respond(harness.subjects.chatStoreExecute, () => ({ event_id: 'E_1' }));
    const origin = await loggedInAgent();
    const other = await loggedInAgent();
    const requestId = origin.send('send_event', {
      chat_id: 'PJ0MRSHTDG',
      event: { type: 'message', text: 'hello' },
    });
    expect((await origin.response(requestId)).payload).toEqual({ event_id: 'E_1' });
    const requester = sent[0]!.requester!;
    expect(requester.requestId).toBe(requestId);
    await harness.publishPush('agent@harness.test', {
      action: 'incoming_event',
      payloadJson: JSON.stringify({ chat_id: 'PJ0MRSHTDG', event: { id: 'E_1' } }),
      originConnectionId: requester.connectionId,
      requestId: requester.requestId,
    });
    const atOrigin = await origin.push('incoming_event');
    const atOther = await other.push('incoming_event');
    expect(atOrigin).toMatchObject({
      type: 'push',
      version: '3.6',
      request_id: requestId,
      payload: { chat_id: 'PJ0MRSHTDG', event: { id: 'E_1' } },
    });
    expect(atOther).not.toHaveProperty('request_id');
    expect(atOther.payload).toEqual(atOrigin.payload);
    origin.close();
    other.close();
  });

  it('honour the login pushes filter', async () => {
    const socket = await loggedInAgent({ pushes: { '3.5': ['incoming_chat'], '3.6': ['all'] } });
    await harness.publishPush('agent@harness.test', {
      action: 'chat_deactivated',
      payloadJson: '{}',
    });
    await harness.publishPush('agent@harness.test', { action: 'incoming_chat', payloadJson: '{}' });
    await socket.waitFor((frame) => frame.action === 'incoming_chat' && frame.version === '3.5');
    await socket.waitFor((frame) => frame.action === 'incoming_chat' && frame.version === '3.6');
    const deactivated = socket.frames.filter((frame) => frame.action === 'chat_deactivated');
    expect(deactivated.map((frame) => frame.version)).toEqual(['3.6']);
    socket.close();
  });

  it('stop once the connection closes', async () => {
    const socket = await loggedInAgent();
    socket.close();
    await socket.closed;
    await eventually(() => true);
    await harness.publishPush('agent@harness.test', { action: 'incoming_chat', payloadJson: '{}' });
    expect(socket.frames.some((frame) => frame.action === 'incoming_chat')).toBe(false);
  });
});

describe('customer login', () => {
  it("asks the router for a group's status once for customer logins a moment apart", async () => {
    const group = await createGroup(harness.db, {
      organizationId: harness.organization.id,
      name: 'Storm',
    });
    const asked = () =>
      router.filter(
        (command) =>
          command.action === 'list_group_statuses' &&
          command.requester?.organizationId === harness.organization.id &&
          command.payloadJson === JSON.stringify({ group_ids: [group.id] }),
      );
    for (const _ of [1, 2, 3]) {
      const socket = await customerSocket();
      const response = await socket.request('login', {
        token: (await customerToken()).token,
        group_id: group.id,
      });
      expect(response.payload).toMatchObject({
        __priv_dynamic_config: { online_groups_ids: [group.id] },
      });
    }
    expect(asked()).toHaveLength(1);
  });

  it("updates the customer from login fields and answers in the shape LiveChat's customer SDK needs", async () => {
    const group = await createGroup(harness.db, {
      organizationId: harness.organization.id,
      name: 'Web',
    });
    const { token, customerId } = await customerToken();
    const socket = await customerSocket();
    const response = await socket.request(
      'login',
      {
        token,
        customer: {
          name: 'Probe Customer',
          email: 'probe@example.test',
          session_fields: [{ plan: 'gold' }],
        },
        group_id: group.id,
        customer_page: { url: 'https://shop.example.test/checkout', title: 'Checkout' },
        pushes: { '3.5': ['incoming_event'] },
      },
      { version: '3.5' },
    );
    expect(response.success, JSON.stringify(response)).toBe(true);
    expect(response.payload).toMatchObject({
      customer_id: customerId,
      has_active_thread: true,
      chats: [{ chat_id: 'PJ0MRSHTDG', has_active_thread: true, has_unread_events: true }],
      customer: {
        id: customerId,
        type: 'customer',
        name: 'Probe Customer',
        email: 'probe@example.test',
        session_fields: [{ plan: 'gold' }],
        statistics: { chats_count: 1 },
      },
      __priv_dynamic_config: {
        online_groups_ids: [group.id],
        customer_groups: { monitoring: { id: group.id } },
      },
    });
    expect(await findCustomer(harness.db, harness.organization.id, customerId)).toMatchObject({
      name: 'Probe Customer',
      sessionFields: [{ plan: 'gold' }],
    });
    const listChats = chatStore.find((command) => command.requester?.userId === customerId);
    expect(listChats?.requester).toMatchObject({ userType: 'customer', groupIds: [group.id] });

    await harness.publishPush(customerId, {
      action: 'incoming_event',
      payloadJson: '{"chat_id":"PJ0MRSHTDG"}',
    });
    expect(await socket.push('incoming_event')).toMatchObject({ version: '3.5' });
    socket.close();
  });

  it('refuses a token of another organization and an unknown group', async () => {
    const other = await createOrganization(harness.db, { name: 'Other org' });
    const stranger = await createCustomer(harness.db, { organizationId: other.id });
    const issued = await issueCustomerToken(harness.db, {
      organizationId: other.id,
      customerId: stranger.id,
    });
    const socket = await customerSocket();
    const foreign = await socket.request('login', { token: `Bearer ${issued.accessToken}` });
    expect(foreign).toMatchObject({
      success: false,
      payload: { error: { type: 'authorization' } },
    });
    const { token } = await customerToken();
    const noGroup = await socket.request('login', { token, group_id: 4242 });
    expect(noGroup).toMatchObject({
      success: false,
      payload: { error: { type: 'group_not_found' } },
    });
    socket.close();
  });

  it('disconnects a customer socket without organization_id (license_not_found)', async () => {
    const socket = await TestSocket.open(harness.gateway.url, '/v3.6/customer/rtm/ws');
    expect(await socket.push('customer_disconnected')).toMatchObject({
      payload: { reason: 'license_not_found' },
    });
    await socket.closed;
  });

  it('disconnects when the customer token expires', async () => {
    const customer = await createCustomer(harness.db, { organizationId: harness.organization.id });
    const issued = await issueCustomerToken(harness.db, {
      organizationId: harness.organization.id,
      customerId: customer.id,
      now: new Date(Date.now() - 28_800_000 + 1_500),
    });
    const socket = await customerSocket();
    expect((await socket.request('login', { token: `Bearer ${issued.accessToken}` })).success).toBe(
      true,
    );
    expect(await socket.push('customer_disconnected', 5_000)).toMatchObject({
      payload: { reason: 'access_token_expired' },
    });
    await socket.closed;
  });
});

describe('connection lifecycle', () => {
  it('disconnects an unsupported version with unsupported_version', async () => {
    const socket = await TestSocket.open(harness.gateway.url, '/v9.9/agent/rtm/ws');
    expect(await socket.push('agent_disconnected')).toMatchObject({
      payload: { reason: 'unsupported_version' },
    });
    await socket.closed;
  });

  it('on shutdown tells agents and customers why, so they reconnect elsewhere', async () => {
    const agent = await loggedInAgent();
    const customer = await customerSocket();
    await customer.request('login', { token: (await customerToken()).token });
    await harness.restart();
    expect(await agent.push('agent_disconnected')).toMatchObject({
      payload: { reason: 'internal_error' },
    });
    expect(await customer.push('customer_disconnected')).toMatchObject({
      payload: { reason: 'service_temporarily_unavailable' },
    });
    expect((await agent.closed).code).toBe(1001);
    await customer.closed;
  });
});
