import { createCustomer, issueCustomerToken } from '@threadline/accounts';
import { expect } from 'vitest';
import { agentBasic, type Harness } from './harness.ts';
import { TestSocket } from './rtm-client.ts';

/** Small HTTP and RTM clients for tests of the gateway's own methods. */
export interface HttpAnswer {
  status: number;
  body: Record<string, unknown>;
}

export async function webCall(
  harness: Harness,
  api: 'agent' | 'customer' | 'configuration',
  action: string,
  options: { body?: unknown; authorization?: string; method?: 'GET' | 'POST'; query?: string } = {},
): Promise<HttpAnswer> {
  const method = options.method ?? 'POST';
  const organization = api === 'customer' ? `organization_id=${harness.organization.id}` : '';
  const query = [organization, options.query].filter(Boolean).join('&');
  const response = await fetch(
    `${harness.gateway.url}/v3.6/${api}/action/${action}${query ? `?${query}` : ''}`,
    {
      method,
      headers: {
        ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
        ...(options.authorization ? { authorization: options.authorization } : {}),
      },
      ...(method === 'POST' ? { body: JSON.stringify(options.body ?? {}) } : {}),
    },
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function aCustomer(
  harness: Harness,
  fields: { name?: string; email?: string } = {},
): Promise<{ id: string; authorization: string }> {
  const customer = await createCustomer(harness.db, {
    organizationId: harness.organization.id,
    ...fields,
  });
  const token = await issueCustomerToken(harness.db, {
    organizationId: harness.organization.id,
    customerId: customer.id,
  });
  return { id: customer.id, authorization: `Bearer ${token.accessToken}` };
}

export async function loggedInAgent(
  harness: Harness,
  payload: Record<string, unknown> = {},
  authorization = agentBasic(harness),
): Promise<TestSocket> {
  const socket = await TestSocket.open(harness.gateway.url, '/v3.6/agent/rtm/ws');
  const response = await socket.request('login', { token: authorization, ...payload });
  expect(response.success, JSON.stringify(response)).toBe(true);
  return socket;
}

export async function loggedInCustomer(
  harness: Harness,
  authorization: string,
): Promise<TestSocket> {
  const socket = await TestSocket.open(
    harness.gateway.url,
    `/v3.6/customer/rtm/ws?organization_id=${harness.organization.id}`,
  );
  const response = await socket.request('login', { token: authorization });
  expect(response.success, JSON.stringify(response)).toBe(true);
  return socket;
}

/** The error type of a failed answer (HTTP body or RTM response payload). */
export function errorOf(payload: Record<string, unknown> | undefined): string | undefined {
  return (payload?.error as { type?: string } | undefined)?.type;
}
