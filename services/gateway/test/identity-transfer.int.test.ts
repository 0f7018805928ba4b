import { createHash } from 'node:crypto';
import { createClient } from '@threadline/accounts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, errorOf, webCall } from './clients.ts';
import { agentBasic, type Harness, startHarness } from './harness.ts';

let harness: Harness;
let appClientId: string;

beforeAll(async () => {
  harness = await startHarness();
  appClientId = (
    await createClient(harness.db, { organizationId: harness.organization.id, name: 'App' })
  ).id;
});

afterEach(async () => {
  await harness.stopResponders();
});

afterAll(async () => {
  await harness?.close();
});

async function post(path: string, body: Record<string, unknown>, authorization?: string) {
  const response = await fetch(harness.gateway.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const transfer = (body: Record<string, unknown>, authorization?: string) =>
  post('/v2/customer/identity_transfer', { client_id: appClientId, ...body }, authorization);
const redeem = (body: Record<string, unknown>) =>
  post('/v2/customer/token', { grant_type: 'identity_token', client_id: appClientId, ...body });

describe('identity transfer', () => {
  it('moves a customer identity to another client once, with the identity_token grant', async () => {
    const customer = await aCustomer(harness);
    const created = await transfer({ bearer_type: 'customer' }, customer.authorization);
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ identity_transfer_token: expect.any(String), expires_in: 3600 });

    const code = created.body.identity_transfer_token as string;
    const token = await redeem({ code });
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({
      entity_id: customer.id,
      client_id: appClientId,
      token_type: 'Bearer',
      expires_in: 28_800,
    });
    harness.respond(harness.subjects.chatStoreQuery, () => ({ chats_summary: [], total_chats: 0 }));
    const me = await webCall(harness, 'customer', 'get_customer', {
      authorization: `Bearer ${token.body.access_token as string}`,
    });
    expect(me.body.id).toBe(customer.id);

    const reused = await redeem({ code });
    expect([reused.status, reused.body.oauth_exception, errorOf(reused.body)]).toEqual([
      403,
      'invalid_grant',
      'authorization',
    ]);
  });

  it('lets an agent transfer a customer it names, and checks a PKCE verifier', async () => {
    const customer = await aCustomer(harness);
    const verifier = 'a-long-random-verifier-0123456789';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const created = await transfer(
      { bearer_type: 'agent', customer_id: customer.id, code_challenge: challenge },
      agentBasic(harness),
    );
    expect(created.status).toBe(200);
    const code = created.body.identity_transfer_token as string;
    const wrong = await redeem({ code, code_verifier: 'guess' });
    expect(wrong.status).toBe(403);
    const second = await transfer(
      { bearer_type: 'agent', customer_id: customer.id, code_challenge: challenge },
      agentBasic(harness),
    );
    const right = await redeem({
      code: second.body.identity_transfer_token,
      code_verifier: verifier,
    });
    expect(right.body).toMatchObject({ entity_id: customer.id });
  });

  it('refuses a missing or wrong token, an unknown client and another client redeeming', async () => {
    const customer = await aCustomer(harness);
    expect((await transfer({ bearer_type: 'customer' })).status).toBe(401);
    expect((await transfer({ bearer_type: 'agent' }, customer.authorization)).status).toBe(401);
    const unknownClient = await transfer(
      { bearer_type: 'customer', client_id: 'nope' },
      customer.authorization,
    );
    expect([unknownClient.status, unknownClient.body.oauth_exception]).toEqual([
      403,
      'invalid_client',
    ]);
    const created = await transfer({ bearer_type: 'customer' }, customer.authorization);
    const other = await redeem({
      code: created.body.identity_transfer_token,
      client_id: harness.widget.id,
    });
    expect(other.status).toBe(403);
    expect((await redeem({})).status).toBe(400);
  });
});
