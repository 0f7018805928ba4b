import {
  createAgent,
  createPersonalAccessToken,
  issueAgentToken,
  revokePersonalAccessToken,
  revokeToken,
} from '@threadline/accounts';
import { publishTokenRevoked } from '@threadline/bus';
import type { Command } from '@threadline/contracts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { aCustomer, errorOf, loggedInAgent, loggedInCustomer, webCall } from './clients.ts';
import { agentBasic, eventually, type Harness, startHarness } from './harness.ts';
import { TestSocket } from './rtm-client.ts';

let harness: Harness;
let router: Command[];

beforeAll(async () => {
  harness = await startHarness();
  await createAgent(harness.db, {
    organizationId: harness.organization.id,
    email: 'other@harness.test',
    name: 'Other',
    role: 'normal',
  });
});

beforeEach(() => {
  harness.respond(harness.subjects.chatStoreQuery, (command) =>
    command.requester?.userType === 'customer'
      ? { chats_summary: [], total_chats: 0 }
      : {
          chats_summary: [{ id: 'PJ0MRSHTDG', users: [{ id: 'cust-1', type: 'customer' }] }],
          found_chats: 1,
        },
  );
  router = harness.respond(harness.subjects.routerExecute, (command) => {
    if (command.action !== 'list_routing_statuses') return {};
    const filters = (JSON.parse(command.payloadJson) as { filters?: { group_ids?: number[] } })
      .filters;
    return filters?.group_ids
      ? [{ agent_id: 'other@harness.test', status: 'accepting_chats' }]
      : [
          { agent_id: 'agent@harness.test', status: 'accepting_chats' },
          { agent_id: 'other@harness.test', status: 'not_accepting_chats' },
          { agent_id: 'gone@harness.test', status: 'offline' },
        ];
  });
});

afterEach(async () => {
  await TestSocket.closeAll();
  await new Promise((resolve) => setTimeout(resolve, 100));
  await harness.stopResponders();
});

afterAll(async () => {
  await harness?.close();
});

/** The statuses the gateway gave the router: at the session's start, then set. */
const statusesSet = () =>
  router
    .filter((command) => ['agent_connected', 'set_routing_status'].includes(command.action))
    .map((command) => (JSON.parse(command.payloadJson) as { status: string }).status);

describe('set_away_status', () => {
  it('stops accepting chats only when every connection is away, and accepts again when one is back', async () => {
    const first = await loggedInAgent(harness);
    const second = await loggedInAgent(harness);
    expect(statusesSet()).toEqual(['accepting_chats']);
    expect(await first.request('set_away_status', { away: true })).toMatchObject({ success: true });
    expect(statusesSet()).toEqual(['accepting_chats']);
    expect(await second.request('set_away_status', { away: true })).toMatchObject({
      success: true,
    });
    expect(statusesSet()).toEqual(['accepting_chats', 'not_accepting_chats']);
    await first.request('set_away_status', { away: false });
    expect(statusesSet()).toEqual(['accepting_chats', 'not_accepting_chats', 'accepting_chats']);
    const last = router.filter((command) => command.action === 'set_routing_status').at(-1)!;
    expect(last.requester).toMatchObject({ userId: 'agent@harness.test', requestId: '' });
  });

  it('is RTM only and needs a boolean', async () => {
    const web = await webCall(harness, 'agent', 'set_away_status', {
      authorization: agentBasic(harness),
      body: { away: true },
    });
    expect(errorOf(web.body)).toBe('not_found');
    const socket = await loggedInAgent(harness);
    expect(errorOf((await socket.request('set_away_status', { away: 'yes' })).payload)).toBe(
      'validation',
    );
  });
});

describe('update_session and logout', () => {
  it('extends the socket with a new token of the same agent, refuses anyone else', async () => {
    const socket = await loggedInAgent(harness);
    const fresh = await issueAgentToken(harness.db, {
      organizationId: harness.organization.id,
      agentId: 'agent@harness.test',
    });
    expect(
      await socket.request('update_session', { token: `Bearer ${fresh.accessToken}` }),
    ).toMatchObject({ success: true, payload: {} });
    const other = await issueAgentToken(harness.db, {
      organizationId: harness.organization.id,
      agentId: 'other@harness.test',
    });
    const refused = await socket.request('update_session', {
      token: `Bearer ${other.accessToken}`,
    });
    expect(errorOf(refused.payload)).toBe('authorization');
    const invalid = await socket.request('update_session', { token: 'Bearer nope' });
    expect(errorOf(invalid.payload)).toBe('authentication');
  });

  it('ends a session whose token expires, unless update_session gave it a new one', async () => {
    const shortLived = await issueAgentToken(harness.db, {
      organizationId: harness.organization.id,
      agentId: 'agent@harness.test',
      lifetimeSeconds: 1,
    });
    const renewed = await loggedInAgent(harness, {}, `Bearer ${shortLived.accessToken}`);
    const expiring = await loggedInAgent(harness, {}, `Bearer ${shortLived.accessToken}`);
    const fresh = await issueAgentToken(harness.db, {
      organizationId: harness.organization.id,
      agentId: 'agent@harness.test',
    });
    await renewed.request('update_session', { token: `Bearer ${fresh.accessToken}` });
    expect((await expiring.push('agent_disconnected', 3_000)).payload).toEqual({
      reason: 'access_token_expired',
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(renewed.frames.some((frame) => frame.action === 'agent_disconnected')).toBe(false);
  });

  it('logout answers, then closes the socket', async () => {
    const socket = await loggedInAgent(harness);
    expect(await socket.request('logout')).toMatchObject({ success: true, payload: {} });
    expect((await socket.closed).code).toBe(1000);
    await eventually(() => router.some((command) => command.action === 'agent_disconnected'));
  });
});

describe('revoked and expiring tokens', () => {
  it('refuses a revoked PAT at once and ends only the sessions logged in with it', async () => {
    const { accountId } = harness.agent.agent;
    const leaked = await createPersonalAccessToken(harness.db, accountId);
    const kept = await createPersonalAccessToken(harness.db, accountId);
    const onLeaked = await loggedInAgent(harness, {}, `Basic ${leaked.basicCredentials}`);
    const onKept = await loggedInAgent(harness, {}, `Basic ${kept.basicCredentials}`);

    // What `threadline agent pat revoke` does: the row goes, then every gateway is told.
    expect(await revokePersonalAccessToken(harness.db, accountId, leaked.id)).toBe(true);
    const leakedWeb = await webCall(harness, 'agent', 'list_routing_statuses', {
      authorization: `Basic ${leaked.basicCredentials}`,
      body: {},
    });
    expect([leakedWeb.status, errorOf(leakedWeb.body)]).toEqual([401, 'authentication']);
    publishTokenRevoked(harness.nats, harness.subjects, {
      organizationId: harness.organization.id,
      userType: 'agent',
      userId: 'agent@harness.test',
      credentialId: leaked.id,
    });
    expect((await onLeaked.push('agent_disconnected', 3_000)).payload).toEqual({
      reason: 'access_token_revoked',
    });
    expect((await onLeaked.closed).reason).toBe('access_token_revoked');

    // The same agent's session on another token carries on; the leaked one cannot log in again.
    expect(await onKept.request('set_away_status', { away: false })).toMatchObject({
      success: true,
    });
    expect(onKept.frames.some((frame) => frame.action === 'agent_disconnected')).toBe(false);
    const again = await TestSocket.open(harness.gateway.url, '/v3.6/agent/rtm/ws');
    const refused = await again.request('login', { token: `Basic ${leaked.basicCredentials}` });
    expect(errorOf(refused.payload)).toBe('authentication');
  });

  it('ends the sessions of a revoked bearer token the same way', async () => {
    const token = await issueAgentToken(harness.db, {
      organizationId: harness.organization.id,
      agentId: 'agent@harness.test',
    });
    const socket = await loggedInAgent(harness, {}, `Bearer ${token.accessToken}`);
    const bystander = await loggedInAgent(harness);
    const revoked = await revokeToken(harness.db, token.accessToken);
    expect(revoked).toMatchObject({ entityType: 'agent', entityId: 'agent@harness.test' });
    publishTokenRevoked(harness.nats, harness.subjects, {
      organizationId: revoked!.organizationId,
      userType: revoked!.entityType,
      userId: revoked!.entityId,
      credentialId: revoked!.credentialId,
    });
    expect((await socket.push('agent_disconnected', 3_000)).payload).toEqual({
      reason: 'access_token_revoked',
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bystander.frames.some((frame) => frame.action === 'agent_disconnected')).toBe(false);
  });

  it('refuses an expired PAT with authentication, and ends its session when it expires', async () => {
    const shortLived = await createPersonalAccessToken(harness.db, harness.agent.agent.accountId, {
      lifetimeSeconds: 2,
    });
    const socket = await loggedInAgent(harness, {}, `Basic ${shortLived.basicCredentials}`);
    expect((await socket.push('agent_disconnected', 5_000)).payload).toEqual({
      reason: 'access_token_expired',
    });
    const web = await webCall(harness, 'agent', 'list_routing_statuses', {
      authorization: `Basic ${shortLived.basicCredentials}`,
      body: {},
    });
    expect([web.status, errorOf(web.body)]).toEqual([401, 'authentication']);
  });
});

describe('subscribe_customers', () => {
  it('lists the customers of the agent active chats under a subscription that can be ended once', async () => {
    const customer = await aCustomer(harness, { name: 'Dee' });
    await harness.stopResponders();
    harness.respond(harness.subjects.chatStoreQuery, () => ({
      chats_summary: [{ id: 'X', users: [{ id: customer.id, type: 'customer' }] }],
      found_chats: 1,
    }));
    harness.respond(harness.subjects.routerExecute, () => ({}));
    const socket = await loggedInAgent(harness);
    const subscribed = await socket.request('subscribe_customers', { limit: 10 });
    expect(subscribed.payload).toMatchObject({
      customers: [{ id: customer.id, name: 'Dee', type: 'customer' }],
    });
    const id = subscribed.payload!.subscription_id as string;
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(await socket.request('unsubscribe_customers', { subscription_id: id })).toMatchObject({
      success: true,
    });
    const again = await socket.request('unsubscribe_customers', { subscription_id: id });
    expect(errorOf(again.payload)).toBe('not_found');
  });
});

describe('multicast', () => {
  it('sends incoming_multicast to connected agents (all, by group) and to named customers', async () => {
    const customer = await aCustomer(harness);
    const me = await loggedInAgent(harness);
    const otherToken = await issueAgentToken(harness.db, {
      organizationId: harness.organization.id,
      agentId: 'other@harness.test',
    });
    const other = await loggedInAgent(harness, {}, `Bearer ${otherToken.accessToken}`);
    const customerSocket = await loggedInCustomer(harness, customer.authorization);

    const all = await webCall(harness, 'agent', 'multicast', {
      authorization: agentBasic(harness),
      body: { recipients: { agents: { all: true } }, content: { hello: 1 }, type: 'note' },
    });
    expect(all).toEqual({ status: 200, body: {} });
    const expected = { author_id: 'agent@harness.test', content: { hello: 1 }, type: 'note' };
    expect((await me.push('incoming_multicast')).payload).toEqual(expected);
    expect((await other.push('incoming_multicast')).payload).toEqual(expected);

    me.frames.length = 0;
    other.frames.length = 0;
    const byGroup = await me.request('multicast', {
      recipients: { agents: { groups: [3] }, customers: { ids: [customer.id] } },
      content: 'hi',
    });
    expect(byGroup).toMatchObject({ success: true });
    expect((await other.push('incoming_multicast')).payload).toEqual({
      author_id: 'agent@harness.test',
      content: 'hi',
    });
    expect((await customerSocket.push('incoming_multicast')).payload).toEqual({
      author_id: 'agent@harness.test',
      content: 'hi',
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(me.frames.some((frame) => frame.action === 'incoming_multicast')).toBe(false);
  });

  it('needs at least one recipient and some content', async () => {
    const none = await webCall(harness, 'agent', 'multicast', {
      authorization: agentBasic(harness),
      body: { recipients: {}, content: 1 },
    });
    expect(errorOf(none.body)).toBe('validation');
    const customer = await aCustomer(harness);
    const asCustomer = await webCall(harness, 'customer', 'multicast', {
      authorization: customer.authorization,
      body: { recipients: { agents: { all: true } }, content: 1 },
    });
    expect(errorOf(asCustomer.body)).toBe('not_found');
  });
});
