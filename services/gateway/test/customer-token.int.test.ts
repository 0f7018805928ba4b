import {
  authenticate,
  createClient,
  createCustomer,
  createGroup,
  createOrganization,
} from '@threadline/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedChanges } from './configuration-client.ts';
import { agentBasic, type Harness, startHarness } from './harness.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

interface TokenResponse {
  status: number;
  body: Record<string, unknown>;
  cookies: string[];
  headers: Headers;
}

async function token(
  body: Record<string, unknown> | string,
  options: { path?: string; headers?: Record<string, string>; cookies?: string[] } = {},
): Promise<TokenResponse> {
  const cookieHeader = options.cookies?.map((cookie) => cookie.split(';')[0]).join('; ');
  const response = await fetch(harness.gateway.url + (options.path ?? '/v2/customer/token'), {
    method: 'POST',
    // LiveChat's customer-auth posts JSON as text/plain (no preflight); do as it does.
    headers: {
      'content-type': 'text/plain;charset=UTF-8',
      ...(cookieHeader ? { cookie: cookieHeader } : {}),
      ...options.headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    cookies: response.headers.getSetCookie(),
    headers: response.headers,
  };
}

function cookieGrant(extra: Record<string, unknown> = {}) {
  return {
    grant_type: 'cookie',
    response_type: 'token',
    client_id: harness.widget.id,
    organization_id: harness.organization.id,
    redirect_uri: 'https://shop.example.test/checkout',
    ...extra,
  };
}

describe('POST /v2/customer/token, grant cookie', () => {
  it('issues a customer token and identity cookies that bring the same browser back as the same customer', async () => {
    const first = await token(cookieGrant(), { headers: { origin: 'https://shop.example.test' } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      expires_in: 28_800,
      token_type: 'Bearer',
      organization_id: harness.organization.id,
    });
    expect(first.headers.get('access-control-allow-origin')).toBe('https://shop.example.test');
    expect(first.headers.get('access-control-allow-credentials')).toBe('true');
    expect(first.cookies).toHaveLength(2);
    for (const cookie of first.cookies) {
      expect(cookie).toMatch(/^__lc_(cid|cst)=/);
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('Max-Age=63072000');
    }
    const identity = await authenticate(harness.db, `Bearer ${first.body.access_token}`);
    expect(identity).toMatchObject({
      userType: 'customer',
      userId: first.body.entity_id,
      groupIds: [0],
    });

    const again = await token(cookieGrant(), { cookies: first.cookies });
    expect(again.body.entity_id).toBe(first.body.entity_id);
    expect(again.body.access_token).not.toBe(first.body.access_token);
    expect(again.cookies).toHaveLength(2);

    const stranger = await token(cookieGrant());
    expect(stranger.body.entity_id).not.toBe(first.body.entity_id);
  });

  it("does not let a forged secret take over someone else's identity", async () => {
    const victim = await token(cookieGrant());
    const forged = await token(cookieGrant(), {
      cookies: [`__lc_cid=${victim.body.entity_id}`, '__lc_cst=dal:guessed'],
    });
    expect(forged.status).toBe(200);
    expect(forged.body.entity_id).not.toBe(victim.body.entity_id);
  });

  it('gives each group path an identity of its own, bound to that group', async () => {
    const group = await createGroup(harness.db, {
      organizationId: harness.organization.id,
      name: 'Sales',
    });
    const path = `/v2/customer/${harness.organization.id}/${group.id}/token`;
    const response = await token(cookieGrant({ organization_id: undefined }), { path });
    expect(response.status).toBe(200);
    expect(response.cookies[0]).toContain(`Path=${path}`);
    expect(await authenticate(harness.db, `Bearer ${response.body.access_token}`)).toMatchObject({
      groupIds: [group.id],
    });
    const missingGroup = await token(cookieGrant(), {
      path: `/v2/customer/${harness.organization.id}/999/token`,
    });
    expect(missingGroup.status).toBe(404);
    expect(missingGroup.body).toMatchObject({ error: { type: 'group_not_found' } });
  });

  it('refuses unknown, foreign and server clients, with oauth_exception and the envelope', async () => {
    const unknown = await token(cookieGrant({ client_id: 'ffffffffffffffffffffffffffffffff' }));
    expect(unknown).toMatchObject({
      status: 403,
      body: { oauth_exception: 'invalid_client', error: { type: 'authorization' } },
    });
    const other = await createOrganization(harness.db, { name: 'Elsewhere' });
    const foreign = await createClient(harness.db, { organizationId: other.id, name: 'W' });
    expect((await token(cookieGrant({ client_id: foreign.id }))).body.oauth_exception).toBe(
      'invalid_client',
    );
    const server = await createClient(harness.db, {
      organizationId: harness.organization.id,
      name: 'Backend',
      kind: 'server',
    });
    expect((await token(cookieGrant({ client_id: server.id }))).body.oauth_exception).toBe(
      'unauthorized_client',
    );
  });

  it('answers bad requests with validation and an OAuth error code', async () => {
    const missingOrganization = await token(cookieGrant({ organization_id: undefined }));
    expect(missingOrganization).toMatchObject({
      status: 400,
      body: { oauth_exception: 'invalid_request', error: { type: 'validation' } },
    });
    const unknownGrant = await token(cookieGrant({ grant_type: 'password' }));
    expect(unknownGrant.body.oauth_exception).toBe('unsupported_grant_type');
    const garbage = await token('{not json');
    expect(garbage).toMatchObject({ status: 400, body: { error: { type: 'validation' } } });
  });

  it('also takes a form-encoded body', async () => {
    const form = new URLSearchParams({
      grant_type: 'cookie',
      response_type: 'token',
      client_id: harness.widget.id,
      organization_id: harness.organization.id,
    }).toString();
    const response = await token(form, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(200);
    expect(response.body.entity_id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('POST /v2/customer/token, grant agent_token', () => {
  function agentGrant(extra: Record<string, unknown> = {}) {
    return {
      grant_type: 'agent_token',
      response_type: 'token',
      client_id: harness.widget.id,
      ...extra,
    };
  }

  it('lets an agent create a customer identity, or reuse one by entity_id', async () => {
    const created = await token(agentGrant(), { headers: { authorization: agentBasic(harness) } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      client_id: harness.widget.id,
      organization_id: harness.organization.id,
      expires_in: 28_800,
    });
    expect(created.cookies).toHaveLength(0);
    const existing = await createCustomer(harness.db, {
      organizationId: harness.organization.id,
      name: 'Known',
    });
    const reused = await token(agentGrant({ entity_id: existing.id }), {
      headers: { authorization: agentBasic(harness) },
    });
    expect(reused.body.entity_id).toBe(existing.id);
    expect(await authenticate(harness.db, `Bearer ${reused.body.access_token}`)).toMatchObject({
      userType: 'customer',
      userId: existing.id,
      name: 'Known',
    });
  });

  it("records each customer a grant or 3.5's create_customer makes as incoming_customer, without a push", async () => {
    const cookie = await token(cookieGrant());
    await token(cookieGrant(), { cookies: cookie.cookies });
    const byAgent = await token(agentGrant(), { headers: { authorization: agentBasic(harness) } });
    await token(agentGrant({ entity_id: byAgent.body.entity_id }), {
      headers: { authorization: agentBasic(harness) },
    });
    const made = await fetch(`${harness.gateway.url}/v3.5/agent/action/create_customer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: agentBasic(harness) },
      body: JSON.stringify({ name: 'Made', email: 'made@x.test' }),
    });
    const { customer_id } = (await made.json()) as { customer_id: string };

    // One change per new customer (a returning one is not new), by whoever made it.
    const ids = [cookie.body.entity_id, byAgent.body.entity_id, customer_id];
    const idOf = (change: { payload: unknown }) => (change.payload as { id?: unknown }).id;
    const changes = (await storedChanges(harness, harness.organization.id)).filter(
      (change) => change.action === 'incoming_customer' && ids.includes(idOf(change)),
    );
    expect(changes.map(idOf)).toEqual(ids);
    expect(changes[0]).toMatchObject({
      requester: { userId: cookie.body.entity_id, userType: 'customer' },
      requesterClientId: harness.widget.id,
    });
    expect(changes[1]!.requester?.userType).toBe('agent');
    expect(changes[2]!.payload).toMatchObject({
      id: customer_id,
      type: 'customer',
      name: 'Made',
      email: 'made@x.test',
      state: 'browsing',
    });
  });

  it('refuses bad agent credentials, another organization and unknown customers', async () => {
    const anonymous = await token(agentGrant());
    expect(anonymous).toMatchObject({
      status: 401,
      body: { oauth_exception: 'access_denied', error: { type: 'authentication' } },
    });
    const other = await createOrganization(harness.db, { name: 'Not yours' });
    const foreign = await token(agentGrant({ organization_id: other.id }), {
      headers: { authorization: agentBasic(harness) },
    });
    expect(foreign).toMatchObject({ status: 403, body: { error: { type: 'authorization' } } });
    const unknownCustomer = await token(
      agentGrant({ entity_id: '00000000-0000-4000-8000-000000000000' }),
      { headers: { authorization: agentBasic(harness) } },
    );
    expect(unknownCustomer).toMatchObject({
      status: 400,
      body: { oauth_exception: 'invalid_request' },
    });
  });
});
