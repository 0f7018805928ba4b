import { createAgent } from '@threadline/accounts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../src/gateway.ts';
import { aCustomer, errorOf } from './clients.ts';
import { agentBasic, type Harness, startHarness } from './harness.ts';
import { TestSocket } from './rtm-client.ts';

/**
 * The gateway's limits with two replicas on one NATS and database, as behind a load balancer:
 * rate limits per user and per client address enforced together, connections per user, and
 * customers' origins against the organization's allowed domains.
 */
const windowMs = 6_000;
const perUser = 6;
const perAddress = 8;
const environment = {
  RATE_LIMIT_WINDOW_MS: String(windowMs),
  RATE_LIMIT_PER_USER: String(perUser),
  RATE_LIMIT_PER_ADDRESS: String(perAddress),
  RATE_LIMIT_SHARE_INTERVAL_MS: '50',
  CLIENT_IP_HEADER: 'x-forwarded-for',
  RTM_MAX_CONNECTIONS_PER_USER: '2',
  ALLOWED_DOMAINS_CACHE_MS: '1',
};

let harness: Harness;
let replica: RunningGateway;
let otherAgent: string;
let addresses = 0;

/** An address of its own per call, so a test of another limit never meets the address limit. */
const freshAddress = () => {
  addresses += 1;
  return `198.51.100.${addresses % 250}, 10.${Math.floor(addresses / 250)}.0.${addresses % 250}`;
};
const apart = () => ({ 'x-forwarded-for': freshAddress() });

beforeAll(async () => {
  harness = await startHarness(environment);
  replica = await harness.startReplica(environment);
  const other = await createAgent(harness.db, {
    organizationId: harness.organization.id,
    email: 'other@harness.test',
    name: 'Other',
    role: 'normal',
  });
  otherAgent = `Basic ${other.basicCredentials}`;
});

beforeEach(() => {
  harness.respond(harness.subjects.chatStoreQuery, () => ({ chats_summary: [], total_chats: 0 }));
  harness.respond(harness.subjects.routerExecute, () => ({ groups_status: { '0': 'online' } }));
});

afterEach(async () => {
  await TestSocket.closeAll();
  await harness.stopResponders();
});

afterAll(async () => {
  await harness.close();
});

async function listGroups(
  gateway: RunningGateway,
  authorization: string,
  address = freshAddress(),
): Promise<Response> {
  return fetch(`${gateway.url}/v3.6/configuration/action/list_groups`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json', 'x-forwarded-for': address },
    body: '{}',
  });
}

/** Waits for the start of a window, so a test's requests all fall in one. */
async function startOfWindow(): Promise<void> {
  await sleep(windowMs - (Date.now() % windowMs) + 20);
}

/** Longer than a share interval: what one replica counted has reached the other. */
const shared = () => sleep(750);

describe('rate limits', () => {
  it('a user over the limit across both replicas is refused until the window passes', async () => {
    await startOfWindow();
    for (let call = 0; call < perUser / 2; call += 1) {
      expect((await listGroups(harness.gateway, agentBasic(harness))).status).toBe(200);
    }
    await shared();
    for (let call = 0; call < perUser / 2; call += 1) {
      expect((await listGroups(replica, agentBasic(harness))).status).toBe(200);
    }
    await shared();
    // Each replica admitted half the limit: only their sum reaches it.
    const refused = await listGroups(harness.gateway, agentBasic(harness));
    expect(refused.status).toBe(429);
    expect(errorOf((await refused.json()) as Record<string, unknown>)).toBe('too_many_requests');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(windowMs / 1000);
    expect((await listGroups(replica, agentBasic(harness))).status).toBe(429);

    // Another user is not affected.
    expect((await listGroups(replica, otherAgent)).status).toBe(200);

    await sleep(retryAfter * 1000);
    expect((await listGroups(harness.gateway, agentBasic(harness))).status).toBe(200);
  });

  it('counts RTM requests of a user with its Web API requests', async () => {
    await startOfWindow();
    const socket = await TestSocket.open(harness.gateway.url, '/v3.6/agent/rtm/ws', {
      'x-forwarded-for': freshAddress(),
    });
    expect((await socket.request('login', { token: otherAgent })).success).toBe(true);
    for (let call = 0; call < perUser; call += 1) {
      expect((await listGroups(replica, otherAgent)).status).toBe(200);
    }
    await shared();
    const answer = await socket.request('list_routing_statuses');
    expect(answer.success).toBe(false);
    expect(errorOf(answer.payload)).toBe('too_many_requests');
  });

  it('limits customer token grants and RTM logins per client address, not per server', async () => {
    await startOfWindow();
    const address = '203.0.113.7';
    const grant = (gateway: RunningGateway, from: string) =>
      fetch(`${gateway.url}/v2/customer/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
        body: JSON.stringify({ grant_type: 'cookie', client_id: 'nobody' }),
      });
    // Failed grants count too: guessing is what the limit is for.
    for (let call = 0; call < perAddress / 2; call += 1) {
      expect((await grant(harness.gateway, address)).status).not.toBe(429);
    }
    await shared();
    for (let call = 0; call < perAddress / 2 - 1; call += 1) {
      expect((await grant(replica, address)).status).not.toBe(429);
    }
    const socket = await TestSocket.open(replica.url, '/v3.6/agent/rtm/ws', {
      'x-forwarded-for': `10.9.9.9, ${address}`,
    });
    const failed = await socket.request('login', { token: 'Bearer wrong' });
    expect(errorOf(failed.payload)).toBe('authentication');
    await shared();

    const refused = await grant(harness.gateway, address);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await refused.json()).toMatchObject({
      oauth_exception: 'temporarily_unavailable',
      error: { type: 'too_many_requests' },
    });
    const login = await socket.request('login', { token: agentBasic(harness) });
    expect(errorOf(login.payload)).toBe('too_many_requests');

    // Another address is not affected, nor is the address's first entry what counts.
    expect((await grant(harness.gateway, `${address}, 203.0.113.8`)).status).not.toBe(429);
  });

  it('reports refusals as a Prometheus counter', async () => {
    const metrics = await (
      await fetch(`http://127.0.0.1:${harness.gateway.healthPort}/metrics`)
    ).text();
    expect(metrics).toMatch(/gateway_limit_refusals_total\{limit="user"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/gateway_limit_refusals_total\{limit="address"[^}]*\} [1-9]/);
  });
});

describe('connections per user', () => {
  it('refuses a login over the limit, and admits one again once a connection closes', async () => {
    const customer = await aCustomer(harness);
    const path = `/v3.6/customer/rtm/ws?organization_id=${harness.organization.id}`;
    const open = async () => {
      const socket = await TestSocket.open(harness.gateway.url, path, apart());
      return { socket, login: await socket.request('login', { token: customer.authorization }) };
    };
    const first = await open();
    const second = await open();
    expect([first.login.success, second.login.success]).toEqual([true, true]);

    const third = await open();
    expect(third.login.success).toBe(false);
    expect(errorOf(third.login.payload)).toBe('too_many_requests');
    expect((await third.socket.push('customer_disconnected')).payload).toEqual({
      reason: 'too_many_connections',
    });
    await third.socket.closed;

    // The other replica counts the connections held here.
    await shared();
    const elsewhere = await TestSocket.open(replica.url, path, apart());
    const refused = await elsewhere.request('login', { token: customer.authorization });
    expect(errorOf(refused.payload)).toBe('too_many_requests');

    first.socket.close();
    await first.socket.closed;
    await eventuallyAdmitted(async () => {
      const socket = await TestSocket.open(replica.url, path, apart());
      return { socket, login: await socket.request('login', { token: customer.authorization }) };
    });
    // …and now this one counts the connection held there.
    await shared();
    expect(errorOf((await open()).login.payload)).toBe('too_many_requests');
  });
});

async function eventuallyAdmitted(
  open: () => Promise<{ socket: TestSocket; login: { success?: boolean } }>,
): Promise<void> {
  // The server notices the close a moment after the client does.
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const { socket, login } = await open();
    if (login.success) return;
    await socket.closed;
    await sleep(50);
  }
  throw new Error('the login was never admitted again');
}

describe('allowed domains', () => {
  const customerPath = () => `/v3.6/customer/rtm/ws?organization_id=${harness.organization.id}`;

  /** The status an upgrade is answered with (101 when the socket opens). */
  async function upgradeStatus(origin: string | undefined): Promise<{ status: number }> {
    try {
      const socket = await TestSocket.open(
        harness.gateway.url,
        customerPath(),
        origin ? { origin, ...apart() } : apart(),
      );
      socket.close();
      return { status: 101 };
    } catch (error) {
      const status = /Unexpected server response: (\d+)/.exec(String(error))?.[1];
      return { status: Number(status ?? 0) };
    }
  }

  async function setAllowedDomains(value: string | undefined): Promise<void> {
    const action = value === undefined ? 'delete_license_properties' : 'update_license_properties';
    const properties =
      value === undefined
        ? { security: ['allowed_domains'] }
        : { security: { allowed_domains: value } };
    const response = await fetch(`${harness.gateway.url}/v3.6/configuration/action/${action}`, {
      method: 'POST',
      headers: {
        authorization: agentBasic(harness),
        'content-type': 'application/json',
        ...apart(),
      },
      body: JSON.stringify({ properties }),
    });
    expect(response.status, await response.text()).toBe(200);
    await sleep(10); // past the test's cache time
  }

  const customerCall = async (origin: string) => {
    const customer = await aCustomer(harness);
    return fetch(
      `${harness.gateway.url}/v3.6/customer/action/list_chats?organization_id=${harness.organization.id}`,
      {
        method: 'POST',
        headers: {
          authorization: customer.authorization,
          origin,
          'content-type': 'application/json',
          ...apart(),
        },
        body: '{}',
      },
    );
  };

  it('allows every origin while none is configured', async () => {
    expect((await upgradeStatus('https://anywhere.test')).status).toBe(101);
    expect((await customerCall('https://anywhere.test')).status).toBe(200);
  });

  it('refuses customer sockets and calls from other websites once domains are configured', async () => {
    await setAllowedDomains('example.com, *.shop.test');
    try {
      expect((await upgradeStatus('https://evil.test')).status).toBe(403);
      expect((await upgradeStatus('https://example.com.evil.test')).status).toBe(403);
      expect((await upgradeStatus('https://www.example.com')).status).toBe(101);
      expect((await upgradeStatus('https://a.shop.test')).status).toBe(101);
      // Server-side clients send no Origin.
      expect((await upgradeStatus(undefined)).status).toBe(101);

      const refused = await customerCall('https://evil.test');
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ error: { type: 'authorization' } });
      expect((await customerCall('https://example.com')).status).toBe(200);

      // Agents' sockets are not the widget's: no check.
      const agent = await TestSocket.open(harness.gateway.url, '/v3.6/agent/rtm/ws', {
        origin: 'https://evil.test',
        ...apart(),
      });
      expect((await agent.request('login', { token: agentBasic(harness) })).success).toBe(true);

      const configuration = await fetch(
        `${harness.gateway.url}/v3.6/customer/action/get_configuration?organization_id=${harness.organization.id}&group_id=0&version=1`,
        { headers: apart() },
      );
      expect(await configuration.json()).toMatchObject({
        allowed_domains: ['example.com', '*.shop.test'],
      });
      const dynamic = await fetch(
        `${harness.gateway.url}/v3.6/customer/action/get_dynamic_configuration?organization_id=${harness.organization.id}&url=${encodeURIComponent('https://evil.test/page')}`,
        { headers: apart() },
      );
      expect(await dynamic.json()).toMatchObject({ livechat: { domain_allowed: false } });
    } finally {
      await setAllowedDomains(undefined);
    }
    expect((await upgradeStatus('https://evil.test')).status).toBe(101);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
