import {
  createClient,
  createCustomer,
  createGroup,
  createOrganization,
  issueAgentToken,
  issueCustomerToken,
} from '@threadline/accounts';
import { ProtocolError } from '@threadline/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agentBasic, type Harness, startHarness } from './harness.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ API_STAGE_END_DATES: '3.5=2026-08-07,3.4=2025-12-31' });
});

afterEach(async () => {
  await harness.stopResponders();
});

afterAll(async () => {
  await harness?.close();
});

async function post(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(harness.gateway.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

describe('agent Web API', () => {
  it('forwards a validated command with the requester filled from a Basic PAT', async () => {
    const received = harness.respond(harness.subjects.chatStoreQuery, () => ({
      chats_summary: [],
      found_chats: 0,
    }));
    const response = await post(
      '/v3.6/agent/action/list_chats',
      { limit: 5, unknown_extra: true },
      { authorization: agentBasic(harness) },
    );
    expect(response).toMatchObject({ status: 200, body: { chats_summary: [], found_chats: 0 } });
    expect(received).toHaveLength(1);
    const command = received[0]!;
    expect(command.action).toBe('list_chats');
    expect(command.apiVersion).toBe('3.6');
    expect(command.commandId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Math.abs(Date.parse(command.issuedAt) - Date.now())).toBeLessThan(10_000);
    expect(JSON.parse(command.payloadJson)).toEqual({ limit: 5 });
    expect(command.requester).toMatchObject({
      organizationId: harness.organization.id,
      userId: 'agent@harness.test',
      userType: 'agent',
      name: 'Agent Smith',
      email: 'agent@harness.test',
      groupIds: [0],
      role: 'administrator',
      maxChatsCount: 7,
      connectionId: '',
    });
  });

  it('accepts a Bearer token, and the version from X-API-Version when the path has none', async () => {
    const received = harness.respond(harness.subjects.routerExecute, () => [
      { agent_id: 'agent@harness.test', status: 'accepting_chats' },
    ]);
    const token = await issueAgentToken(harness.db, {
      organizationId: harness.organization.id,
      agentId: 'agent@harness.test',
    });
    const response = await post(
      '/agent/action/list_routing_statuses',
      {},
      { authorization: `Bearer ${token.accessToken}`, 'x-api-version': '3.5' },
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual([{ agent_id: 'agent@harness.test', status: 'accepting_chats' }]);
    expect(received.at(-1)?.apiVersion).toBe('3.5');
    expect(response.headers.get('legacy')).toBe('2026-08-07');
  });

  it('answers authentication (401) for missing, malformed and unknown credentials', async () => {
    for (const authorization of [undefined, 'Token x', 'Bearer dal:unknown', 'Basic bm9wZQ==']) {
      const response = await post(
        '/v3.6/agent/action/list_chats',
        {},
        authorization ? { authorization } : {},
      );
      expect(response.status, String(authorization)).toBe(401);
      expect(response.body).toMatchObject({ error: { type: 'authentication' } });
    }
  });

  it('refuses a customer token on the agent API with authorization (403)', async () => {
    const customer = await createCustomer(harness.db, { organizationId: harness.organization.id });
    const token = await issueCustomerToken(harness.db, {
      organizationId: harness.organization.id,
      customerId: customer.id,
    });
    const response = await post(
      '/v3.6/agent/action/list_chats',
      {},
      { authorization: `Bearer ${token.accessToken}` },
    );
    expect(response).toMatchObject({ status: 403, body: { error: { type: 'authorization' } } });
  });

  it('answers validation (400) for a bad payload or malformed JSON, without forwarding', async () => {
    const received = harness.respond(harness.subjects.chatStoreExecute, () => ({}));
    const badPayload = await post(
      '/v3.6/agent/action/send_event',
      { chat_id: 'PJ0MRSHTDG', event: { type: 'message' } },
      { authorization: agentBasic(harness) },
    );
    expect(badPayload).toMatchObject({ status: 400, body: { error: { type: 'validation' } } });
    expect((badPayload.body.error as { message: string }).message).toContain('event');
    const malformed = await post('/v3.6/agent/action/send_event', '{"chat_id":', {
      authorization: agentBasic(harness),
    });
    expect(malformed).toMatchObject({ status: 400, body: { error: { type: 'validation' } } });
    expect(received).toHaveLength(0);
  });

  it('answers unsupported_version for a version it does not serve', async () => {
    const response = await post(
      '/v2.0/agent/action/list_chats',
      {},
      { authorization: agentBasic(harness) },
    );
    expect(response).toMatchObject({
      status: 400,
      body: { error: { type: 'unsupported_version' } },
    });
  });

  it('marks deprecated versions with a Deprecation header', async () => {
    harness.respond(harness.subjects.chatStoreQuery, () => ({ chats_summary: [] }));
    const response = await post(
      '/v3.4/agent/action/list_chats',
      {},
      { authorization: agentBasic(harness) },
    );
    expect(response.headers.get('deprecation')).toBe('2025-12-31');
    expect(response.headers.get('legacy')).toBeNull();
  });

  it('answers not_found for unknown methods and RTM-only methods', async () => {
    for (const method of ['frobnicate', 'login', 'register_webhook']) {
      const response = await post(
        `/v3.6/agent/action/${method}`,
        {},
        {
          authorization: agentBasic(harness),
        },
      );
      expect(response, method).toMatchObject({
        status: 404,
        body: { error: { type: 'not_found' } },
      });
    }
  });

  it('passes a service error through in the envelope, with its status', async () => {
    harness.respond(harness.subjects.chatStoreExecute, () => {
      throw new ProtocolError('chat_inactive', 'Chat is inactive');
    });
    const response = await post(
      '/v3.6/agent/action/send_event',
      { chat_id: 'PJ0MRSHTDG', event: { type: 'message', text: 'hi' } },
      { authorization: agentBasic(harness) },
    );
    expect(response).toMatchObject({
      status: 422,
      body: { error: { type: 'chat_inactive', message: 'Chat is inactive' } },
    });
  });
});

describe('customer Web API', () => {
  it("requires organization_id and refuses one that is not the token's", async () => {
    const received = harness.respond(harness.subjects.chatStoreExecute, () => ({ chat_id: 'C' }));
    const group = await createGroup(harness.db, {
      organizationId: harness.organization.id,
      name: 'VIP',
    });
    const customer = await createCustomer(harness.db, { organizationId: harness.organization.id });
    const token = await issueCustomerToken(harness.db, {
      organizationId: harness.organization.id,
      customerId: customer.id,
      groupId: group.id,
    });
    const authorization = `Bearer ${token.accessToken}`;
    const missing = await post('/v3.6/customer/action/start_chat', {}, { authorization });
    expect(missing).toMatchObject({ status: 400, body: { error: { type: 'validation' } } });
    const other = await createOrganization(harness.db, { name: 'Other' });
    const wrong = await post(
      `/v3.6/customer/action/start_chat?organization_id=${other.id}`,
      {},
      {
        authorization,
      },
    );
    expect(wrong).toMatchObject({ status: 403, body: { error: { type: 'authorization' } } });
    expect(received).toHaveLength(0);

    const right = await post(
      `/v3.6/customer/action/start_chat?organization_id=${harness.organization.id}`,
      {},
      { authorization },
    );
    expect(right.status).toBe(200);
    expect(received[0]?.requester).toMatchObject({
      userType: 'customer',
      userId: customer.id,
      groupIds: [group.id],
    });
  });

  it('refuses an agent PAT on the customer API with authorization', async () => {
    const response = await post(
      `/v3.6/customer/action/list_chats?organization_id=${harness.organization.id}`,
      {},
      { authorization: agentBasic(harness) },
    );
    expect(response).toMatchObject({ status: 403, body: { error: { type: 'authorization' } } });
  });
});

describe('configuration Web API', () => {
  it("checks that owner_client_id belongs to the requester's organization before forwarding", async () => {
    const received = harness.respond(harness.subjects.webhookExecute, () => ({ id: 'w1' }));
    const other = await createOrganization(harness.db, { name: 'Foreign' });
    const foreignClient = await createClient(harness.db, { organizationId: other.id, name: 'F' });
    const registration = {
      action: 'incoming_chat',
      secret_key: 's3cret',
      url: 'https://example.test/hook',
      type: 'license',
    };
    const foreign = await post(
      '/v3.6/configuration/action/register_webhook',
      { ...registration, owner_client_id: foreignClient.id },
      { authorization: agentBasic(harness) },
    );
    expect(foreign).toMatchObject({ status: 403, body: { error: { type: 'authorization' } } });
    const unknown = await post(
      '/v3.6/configuration/action/register_webhook',
      { ...registration, owner_client_id: 'ffffffffffffffffffffffffffffffff' },
      { authorization: agentBasic(harness) },
    );
    expect(unknown.status).toBe(403);
    expect(received).toHaveLength(0);
    const own = await post(
      '/v3.6/configuration/action/register_webhook',
      { ...registration, owner_client_id: harness.widget.id },
      { authorization: agentBasic(harness) },
    );
    expect(own).toMatchObject({ status: 200, body: { id: 'w1' } });
    expect(JSON.parse(received[0]!.payloadJson)).toMatchObject({
      owner_client_id: harness.widget.id,
    });
  });

  it("routes Threadline's delivery log methods with the same owner_client_id checks", async () => {
    const received = harness.respond(harness.subjects.webhookExecute, () => ({ replayed: 0 }));
    const foreign = await createClient(harness.db, {
      organizationId: (await createOrganization(harness.db, { name: 'Elsewhere' })).id,
      name: 'E',
    });
    const requests = {
      list_webhook_deliveries: { webhook_id: 'w1', status: 'dead' },
      redeliver_webhook_delivery: { delivery_id: 'd1' },
      replay_webhooks: { webhook_id: 'w1', from: '2026-12-07T10:00:00Z' },
    };
    for (const [method, payload] of Object.entries(requests)) {
      const url = `/v3.6/configuration/action/${method}`;
      const authorization = agentBasic(harness);
      const withPat = await post(url, payload, { authorization });
      expect(withPat, method).toMatchObject({
        status: 400,
        body: { error: { type: 'validation' } },
      });
      const other = await post(url, { ...payload, owner_client_id: foreign.id }, { authorization });
      expect(other, method).toMatchObject({ status: 403 });
      expect(received).toHaveLength(0);
      const own = await post(
        url,
        { ...payload, owner_client_id: harness.widget.id },
        { authorization },
      );
      expect(own, method).toMatchObject({ status: 200, body: { replayed: 0 } });
      expect(received.at(-1)?.action).toBe(method);
      expect(JSON.parse(received.splice(0)[0]!.payloadJson)).toEqual({
        ...payload,
        owner_client_id: harness.widget.id,
      });
    }
  });

  it("needs owner_client_id with a PAT, and takes it from a bearer token's client otherwise", async () => {
    const received = harness.respond(harness.subjects.webhookExecute, () => ({
      license_webhooks_enabled: true,
    }));
    const withPat = await post(
      '/v3.6/configuration/action/get_license_webhooks_state',
      {},
      {
        authorization: agentBasic(harness),
      },
    );
    expect(withPat).toMatchObject({ status: 400, body: { error: { type: 'validation' } } });
    const token = await issueAgentToken(harness.db, {
      organizationId: harness.organization.id,
      agentId: 'agent@harness.test',
      clientId: harness.widget.id,
    });
    const withToken = await post(
      '/v3.6/configuration/action/get_license_webhooks_state',
      {},
      {
        authorization: `Bearer ${token.accessToken}`,
      },
    );
    expect(withToken.status).toBe(200);
    expect(JSON.parse(received.at(-1)!.payloadJson)).toEqual({
      owner_client_id: harness.widget.id,
    });
  });

  it('serves list_webhook_names without a token', async () => {
    const received = harness.respond(harness.subjects.webhookExecute, () => [
      { action: 'incoming_chat' },
    ]);
    const response = await post('/v3.6/configuration/action/list_webhook_names', {});
    expect(response).toMatchObject({ status: 200, body: [{ action: 'incoming_chat' }] });
    expect(received.at(-1)?.requester?.userId).toBe('');
  });
});

describe('the gateway process', () => {
  it('answers service_unavailable (503) when no service answers the subject', async () => {
    const response = await post(
      '/v3.6/agent/action/deactivate_chat',
      { id: 'NOBODYHOME' },
      { authorization: agentBasic(harness) },
    );
    expect(response).toMatchObject({
      status: 503,
      body: { error: { type: 'service_unavailable' } },
    });
  });

  it('answers probes and metrics on the main port', async () => {
    const ready = await fetch(`${harness.gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    // Latency per method, answered with an error or not.
    await post(
      '/v3.6/agent/action/deactivate_chat',
      { id: 'NOBODYHOME' },
      {
        authorization: agentBasic(harness),
      },
    );
    const metrics = await (await fetch(`${harness.gateway.url}/metrics`)).text();
    expect(metrics).toContain('gateway_http_requests_total');
    expect(metrics).toMatch(
      /gateway_method_duration_seconds_count\{[^}]*api="agent",action="deactivate_chat",transport="web"\} [1-9]/,
    );
    const unknown = await fetch(`${harness.gateway.url}/nowhere`);
    expect(unknown.status).toBe(404);
  });

  it('echoes the Origin for browsers, with credentials, and answers preflights', async () => {
    const preflight = await fetch(`${harness.gateway.url}/v3.6/customer/action/send_event`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://shop.example.test',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://shop.example.test');
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-headers')).toBe(
      'authorization, content-type',
    );
  });
});
