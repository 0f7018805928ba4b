import { findCustomer } from '@threadline/accounts';
import type { Command } from '@threadline/contracts';
import { ProtocolError } from '@threadline/protocol';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { aCustomer, errorOf, loggedInAgent, loggedInCustomer, webCall } from './clients.ts';
import { storedChanges } from './configuration-client.ts';
import { agentBasic, type Harness, startHarness } from './harness.ts';
import { TestSocket } from './rtm-client.ts';

let harness: Harness;
let chatStore: Command[];
/** Whether the harness agent is in the customer's active chat (chat-store stand-in). */
let agentInChat: boolean;
/** Whether the harness agent follows the customer's chat (`is_followed` of get_chat). */
let agentFollowsChat: boolean;
/** The customers of the chats the agent sees (the agent's list_chats). */
let agentSeesCustomers: string[];

beforeAll(async () => {
  harness = await startHarness();
});

beforeEach(() => {
  agentInChat = true;
  agentFollowsChat = false;
  agentSeesCustomers = [];
  chatStore = harness.respond(harness.subjects.chatStoreQuery, (command) => {
    if (command.action === 'list_threads') return { threads: [], found_threads: 2 };
    if (command.action === 'get_chat') return { id: 'PJ0MRSHTDG', is_followed: agentFollowsChat };
    if (command.requester?.userType !== 'customer') {
      const chats_summary = agentSeesCustomers.map((id) => ({
        id: 'PJ0MRSHTDG',
        users: [{ id, type: 'customer' }],
      }));
      return { chats_summary, found_chats: chats_summary.length };
    }
    const users = [{ id: command.requester.userId, type: 'customer' }];
    if (agentInChat) users.push({ id: 'agent@harness.test', type: 'agent' });
    return {
      chats_summary: [{ id: 'PJ0MRSHTDG', last_thread_id: 'K600PKZON8', active: true, users }],
      total_chats: 1,
    };
  });
  harness.respond(harness.subjects.routerExecute, (command) =>
    command.action === 'list_routing_statuses'
      ? [{ agent_id: 'agent@harness.test', status: 'accepting_chats' }]
      : {},
  );
});

afterEach(async () => {
  await TestSocket.closeAll();
  await new Promise((resolve) => setTimeout(resolve, 50));
  await harness.stopResponders();
});

afterAll(async () => {
  await harness?.close();
});

describe('get_customer', () => {
  it('shows a customer itself in the customer view, with the statistics customer SDKs read', async () => {
    const customer = await aCustomer(harness, { name: 'Ann', email: 'ann@x.test' });
    const answer = await webCall(harness, 'customer', 'get_customer', {
      authorization: customer.authorization,
    });
    expect(answer).toEqual({
      status: 200,
      body: {
        id: customer.id,
        type: 'customer',
        name: 'Ann',
        email: 'ann@x.test',
        email_verified: false,
        session_fields: [],
        statistics: {
          chats_count: 1,
          threads_count: 2,
          visits_count: 0,
          page_views_count: 0,
          greetings_shown_count: 0,
          greetings_accepted_count: 0,
          greetings_converted_count: 0,
          tickets_count: 0,
        },
      },
    });
  });

  it('shows agents the agent view with statistics from chat-store', async () => {
    const customer = await aCustomer(harness, { name: 'Bo' });
    const answer = await webCall(harness, 'agent', 'get_customer', {
      authorization: agentBasic(harness),
      body: { id: customer.id },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      id: customer.id,
      type: 'customer',
      name: 'Bo',
      chat_ids: ['PJ0MRSHTDG'],
      state: 'chatting',
      statistics: { chats_count: 1, threads_count: 2, greetings_shown_count: 0 },
    });
    expect(answer.body.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    const threadQuery = chatStore.find((command) => command.action === 'list_threads');
    expect(JSON.parse(threadQuery!.payloadJson)).toEqual({ chat_id: 'PJ0MRSHTDG', limit: 1 });
  });

  it('is not_found for an unknown customer and validation without an id', async () => {
    const unknown = await webCall(harness, 'agent', 'get_customer', {
      authorization: agentBasic(harness),
      body: { id: '00000000-0000-4000-8000-000000000000' },
    });
    expect([unknown.status, errorOf(unknown.body)]).toEqual([404, 'not_found']);
    const missing = await webCall(harness, 'agent', 'get_customer', {
      authorization: agentBasic(harness),
    });
    expect([missing.status, errorOf(missing.body)]).toEqual([400, 'validation']);
  });
});

describe('update_customer and set_customer_session_fields', () => {
  it('stores the change and pushes customer_updated to the customer and the agents chatting with them', async () => {
    const customer = await aCustomer(harness);
    const agent = await loggedInAgent(harness);
    const socket = await loggedInCustomer(harness, customer.authorization);
    const requestId = socket.send('update_customer', {
      name: 'Cid',
      session_fields: [{ plan: 'gold' }],
    });
    expect(await socket.response(requestId)).toMatchObject({ success: true, payload: {} });
    const own = await socket.push('customer_updated');
    expect(own).toMatchObject({
      request_id: requestId,
      payload: { id: customer.id, name: 'Cid', session_fields: [{ plan: 'gold' }] },
    });
    const pushed = await agent.push('customer_updated');
    expect(pushed.payload).toEqual({
      id: customer.id,
      name: 'Cid',
      session_fields: [{ plan: 'gold' }],
    });
    expect(pushed.request_id).toBeUndefined();
    const stored = await findCustomer(harness.db, harness.organization.id, customer.id);
    expect(stored).toMatchObject({ name: 'Cid', sessionFields: [{ plan: 'gold' }] });
  });

  it('names the customer by their new name in what the same RTM session does next', async () => {
    const customer = await aCustomer(harness);
    const executed = harness.respond(harness.subjects.chatStoreExecute, () => ({
      chat_id: 'PJ0MRSHTDG',
    }));
    const socket = await loggedInCustomer(harness, customer.authorization);
    await socket.response(socket.send('update_customer', { name: 'Carla', email: 'c@x.test' }));
    const started = socket.send('start_chat', {});
    expect(await socket.response(started)).toMatchObject({ success: true });
    expect(executed.at(-1)?.requester).toMatchObject({ name: 'Carla', email: 'c@x.test' });
  });

  it('lets an agent update a customer, who hears of it; agents not in their chats do not', async () => {
    agentInChat = false;
    const customer = await aCustomer(harness);
    const agent = await loggedInAgent(harness);
    const socket = await loggedInCustomer(harness, customer.authorization);
    const answer = await webCall(harness, 'agent', 'update_customer', {
      authorization: agentBasic(harness),
      body: { id: customer.id, email: 'new@x.test', phone_number: '+48111222333' },
    });
    expect(answer).toEqual({ status: 200, body: {} });
    expect((await socket.push('customer_updated')).payload).toEqual({
      id: customer.id,
      email: 'new@x.test',
      phone_number: '+48111222333',
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(agent.frames.some((frame) => frame.action === 'customer_updated')).toBe(false);
  });

  it('records customer_session_fields_updated per active chat for webhooks, without a push', async () => {
    const customer = await aCustomer(harness);
    const agent = await loggedInAgent(harness);
    const answer = await webCall(harness, 'customer', 'set_customer_session_fields', {
      authorization: customer.authorization,
      body: { session_fields: [{ plan: 'gold' }] },
    });
    expect(answer).toEqual({ status: 200, body: {} });
    await webCall(harness, 'agent', 'update_customer', {
      authorization: agentBasic(harness),
      body: { id: customer.id, name: 'No fields' },
    });
    await agent.push('customer_updated');
    const mine = (await storedChanges(harness, harness.organization.id)).filter(
      (change) => (change.payload as { id?: string }).id === customer.id,
    );
    expect(mine.map((change) => [change.action, change.payload])).toEqual([
      [
        'customer_session_fields_updated',
        {
          id: customer.id,
          active_chat: { chat_id: 'PJ0MRSHTDG', thread_id: 'K600PKZON8' },
          session_fields: [{ plan: 'gold' }],
        },
      ],
    ]);
    expect(mine[0]!.requester?.userId).toBe(customer.id);
    expect(agent.frames.some((f) => f.action === 'customer_session_fields_updated')).toBe(false);
  });

  it('refuses an update with nothing in it, and more than 100 session fields', async () => {
    const customer = await aCustomer(harness);
    const empty = await webCall(harness, 'customer', 'update_customer', {
      authorization: customer.authorization,
      body: {},
    });
    expect(errorOf(empty.body)).toBe('validation');
    const fields = Array.from({ length: 101 }, (_, index) => ({ [`k${index}`]: 'v' }));
    const tooMany = await webCall(harness, 'customer', 'set_customer_session_fields', {
      authorization: customer.authorization,
      body: { session_fields: fields },
    });
    expect([tooMany.status, errorOf(tooMany.body)]).toEqual([400, 'validation']);
    const ok = await webCall(harness, 'customer', 'set_customer_session_fields', {
      authorization: customer.authorization,
      body: { session_fields: fields.slice(0, 100) },
    });
    expect(ok).toEqual({ status: 200, body: {} });
  });
});

describe('customer pushes and subscribe_customers', () => {
  const rename = (customer: { authorization: string }, name: string) =>
    webCall(harness, 'customer', 'update_customer', {
      authorization: customer.authorization,
      body: { name },
    });
  const renamesSeen = (socket: TestSocket) =>
    socket.frames
      .filter((frame) => frame.type === 'push' && frame.action === 'customer_updated')
      .map((frame) => (frame.payload as { name?: string }).name);

  it('reach agents outside the customer chats only while subscribed to the customer', async () => {
    agentInChat = false;
    const customer = await aCustomer(harness);
    const agent = await loggedInAgent(harness);
    // Pushes from one publisher arrive in order: a later delivered push proves an earlier one
    // was filtered, not late.
    await rename(customer, 'Unseen');
    agentSeesCustomers = [customer.id];
    const subscribed = await agent.request('subscribe_customers', {});
    expect(subscribed.payload).toMatchObject({ customers: [{ id: customer.id }] });
    await rename(customer, 'Seen');
    await agent.push('customer_updated');
    expect(renamesSeen(agent)).toEqual(['Seen']);

    const onSocket = await agent.request('get_customer', { id: customer.id });
    expect(onSocket.payload).toMatchObject({ followed: true });
    const onWeb = await webCall(harness, 'agent', 'get_customer', {
      authorization: agentBasic(harness),
      body: { id: customer.id },
    });
    expect(onWeb.body).toMatchObject({ followed: false });

    const { subscription_id } = subscribed.payload as { subscription_id: string };
    await agent.request('unsubscribe_customers', { subscription_id });
    await rename(customer, 'Unseen again');
    agentInChat = true;
    await rename(customer, 'In the chat');
    await agent.waitFor(
      (frame) => (frame.payload as { name?: string } | undefined)?.name === 'In the chat',
    );
    expect(renamesSeen(agent)).toEqual(['Seen', 'In the chat']);
  });

  it('filter customer_page_updated the same way', async () => {
    agentInChat = false;
    const customer = await aCustomer(harness);
    const agent = await loggedInAgent(harness);
    const socket = await loggedInCustomer(harness, customer.authorization);
    await socket.request('update_customer_page', { url: 'https://shop.test/unseen' });
    agentInChat = true;
    await socket.request('update_customer_page', { url: 'https://shop.test/seen' });
    expect((await agent.push('customer_page_updated')).payload).toMatchObject({
      url: 'https://shop.test/seen',
    });
  });

  it('count following one of the customer chats as following the customer', async () => {
    agentInChat = false;
    const customer = await aCustomer(harness);
    const view = async () =>
      (
        await webCall(harness, 'agent', 'get_customer', {
          authorization: agentBasic(harness),
          body: { id: customer.id },
        })
      ).body;
    expect(await view()).toMatchObject({ followed: false });
    agentFollowsChat = true;
    expect(await view()).toMatchObject({ followed: true });
  });
});

describe('update_customer_page', () => {
  it('is RTM only, stores the page and tells connected agents', async () => {
    const customer = await aCustomer(harness);
    const web = await webCall(harness, 'customer', 'update_customer_page', {
      authorization: customer.authorization,
      body: { url: 'https://shop.test/a' },
    });
    expect(errorOf(web.body)).toBe('not_found');
    const agent = await loggedInAgent(harness);
    const socket = await loggedInCustomer(harness, customer.authorization);
    const answer = await socket.request('update_customer_page', {
      url: 'https://shop.test/cart',
      title: 'Cart',
    });
    expect(answer).toMatchObject({ success: true, payload: {} });
    expect((await agent.push('customer_page_updated')).payload).toMatchObject({
      customer_id: customer.id,
      url: 'https://shop.test/cart',
      title: 'Cart',
    });
    const viewed = await webCall(harness, 'agent', 'get_customer', {
      authorization: agentBasic(harness),
      body: { id: customer.id },
    });
    expect(viewed.body.visit).toMatchObject({
      last_pages: [{ url: 'https://shop.test/cart', title: 'Cart' }],
    });
  });

  it('records the page a customer logs in from as the last visit', async () => {
    const customer = await aCustomer(harness);
    const socket = await TestSocket.open(
      harness.gateway.url,
      `/v3.6/customer/rtm/ws?organization_id=${harness.organization.id}`,
    );
    const login = await socket.request('login', {
      token: customer.authorization,
      customer_page: { url: 'https://shop.test/home', title: 'Home' },
    });
    expect(login.success).toBe(true);
    const viewed = await webCall(harness, 'agent', 'get_customer', {
      authorization: agentBasic(harness),
      body: { id: customer.id },
    });
    expect(viewed.body.visit).toMatchObject({
      last_pages: [{ url: 'https://shop.test/home', title: 'Home' }],
    });
  });
});

describe('ban_customer', () => {
  it('disconnects the customer, tells agents, and refuses the customer until the ban ends', async () => {
    const closes = harness.respond(harness.subjects.chatStoreExecute, () => ({}));
    const customer = await aCustomer(harness);
    const agent = await loggedInAgent(harness);
    const socket = await loggedInCustomer(harness, customer.authorization);
    const answer = await webCall(harness, 'agent', 'ban_customer', {
      authorization: agentBasic(harness),
      body: { id: customer.id, ban: { days: 3 } },
    });
    expect(answer).toEqual({ status: 200, body: {} });
    // The customer's active chat is closed by chat-store, asked by the gateway as a system user.
    expect(closes).toHaveLength(1);
    const [close] = closes;
    expect(close?.action).toBe('close_thread_for_ban');
    expect(close?.requester).toMatchObject({
      organizationId: harness.organization.id,
      userId: 'gateway',
      userType: 'system',
    });
    expect(JSON.parse(close?.payloadJson ?? '{}')).toEqual({
      chat_id: 'PJ0MRSHTDG',
      thread_id: 'K600PKZON8',
      customer_id: customer.id,
      banned_by: { id: 'agent@harness.test', name: 'Agent Smith' },
      days: 3,
    });
    expect(close?.commandId).toMatch(new RegExp(`^ban:${customer.id}:\\d+:PJ0MRSHTDG:K600PKZON8$`));
    expect((await socket.push('customer_disconnected')).payload).toEqual({
      reason: 'customer_banned',
    });
    await socket.closed;
    expect((await agent.push('customer_banned')).payload).toEqual({
      customer_id: customer.id,
      ban: { days: 3 },
    });

    const web = await webCall(harness, 'customer', 'get_customer', {
      authorization: customer.authorization,
    });
    expect([web.status, errorOf(web.body)]).toEqual([403, 'customer_banned']);
    const again = await TestSocket.open(
      harness.gateway.url,
      `/v3.6/customer/rtm/ws?organization_id=${harness.organization.id}`,
    );
    const login = await again.request('login', { token: customer.authorization });
    expect(errorOf(login.payload)).toBe('customer_banned');
    const token = await fetch(`${harness.gateway.url}/v2/customer/token`, {
      method: 'POST',
      headers: { authorization: agentBasic(harness) },
      body: JSON.stringify({
        grant_type: 'agent_token',
        response_type: 'token',
        client_id: harness.widget.id,
        entity_id: customer.id,
      }),
    });
    expect(token.status).toBe(403);
    expect(errorOf((await token.json()) as Record<string, unknown>)).toBe('customer_banned');
  });

  it('bans even when the chat closed meanwhile (chat_inactive), and fails on other refusals', async () => {
    let refusal: ProtocolError = new ProtocolError('chat_inactive', 'Thread is no longer active');
    harness.respond(harness.subjects.chatStoreExecute, () => {
      throw refusal;
    });
    const customer = await aCustomer(harness);
    const banned = await webCall(harness, 'agent', 'ban_customer', {
      authorization: agentBasic(harness),
      body: { id: customer.id, ban: { days: 1 } },
    });
    expect(banned).toEqual({ status: 200, body: {} });
    refusal = new ProtocolError('internal', 'chat-store failed');
    const failed = await webCall(harness, 'agent', 'ban_customer', {
      authorization: agentBasic(harness),
      body: { id: customer.id, ban: { days: 1 } },
    });
    expect(errorOf(failed.body)).toBe('internal');
  });

  it('is not_found for a customer of no one, and validation without days', async () => {
    const unknown = await webCall(harness, 'agent', 'ban_customer', {
      authorization: agentBasic(harness),
      body: { id: '00000000-0000-4000-8000-000000000000', ban: { days: 1 } },
    });
    expect(errorOf(unknown.body)).toBe('not_found');
    const invalid = await webCall(harness, 'agent', 'ban_customer', {
      authorization: agentBasic(harness),
      body: { id: 'x', ban: {} },
    });
    expect(errorOf(invalid.body)).toBe('validation');
  });
});
