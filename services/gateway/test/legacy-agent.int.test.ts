import { createCustomer, listCustomerFollowers, listPushNotifications } from '@threadline/accounts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { agentBasic, type Harness, startHarness } from './harness.ts';
import { TestSocket } from './rtm-client.ts';

let harness: Harness;
const agentId = 'agent@harness.test';

beforeAll(async () => {
  harness = await startHarness();
});

beforeEach(() => {
  // The customers here have no chats: chat-store answers every statistics query with none.
  harness.respond(harness.subjects.chatStoreQuery, () => ({ chats_summary: [], found_threads: 0 }));
  harness.respond(harness.subjects.routerExecute, () => ({ agent_ids: [] }));
});

afterEach(async () => {
  await TestSocket.closeAll();
  await harness.stopResponders();
});

afterAll(async () => {
  await harness?.close();
});

async function post(path: string, body: unknown) {
  const response = await fetch(harness.gateway.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: agentBasic(harness) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function login(path: string): Promise<TestSocket> {
  const socket = await TestSocket.open(harness.gateway.url, path);
  const response = await socket.request('login', { token: agentBasic(harness) });
  expect(response.success).toBe(true);
  return socket;
}

async function customer(name: string, email: string) {
  return createCustomer(harness.db, { organizationId: harness.organization.id, name, email });
}

describe('list_customers (3.4/3.5)', () => {
  it('pages the organization customers with opaque page ids that keep the first filters', async () => {
    const made = [];
    for (const name of ['Ann', 'Bob', 'Cid']) made.push(await customer(name, `${name}@list.test`));
    await customer('Other', 'other@elsewhere.test');
    const emails = { values: made.map((c) => c.email) };

    const first = await post('/v3.5/agent/action/list_customers', {
      filters: { email: emails },
      limit: 2,
      sort_order: 'asc',
    });
    expect(first.status).toBe(200);
    expect(first.body.total_customers).toBe(3);
    const firstPage = first.body.customers as Record<string, unknown>[];
    expect(firstPage.map((c) => c.name)).toEqual(['Ann', 'Bob']);
    expect(firstPage[0]).toMatchObject({ id: made[0]!.id, followed: false, state: 'browsing' });
    expect(first.body).not.toHaveProperty('previous_page_id');

    const second = await post('/v3.5/agent/action/list_customers', {
      page_id: first.body.next_page_id,
    });
    expect((second.body.customers as { name: string }[]).map((c) => c.name)).toEqual(['Cid']);
    expect(second.body).not.toHaveProperty('next_page_id');
    const back = await post('/v3.4/agent/action/list_customers', {
      page_id: second.body.previous_page_id,
    });
    expect((back.body.customers as { name: string }[]).map((c) => c.name)).toEqual(['Ann', 'Bob']);
  });

  it('refuses a page id mixed with filters, statistics filters, and 3.6 callers', async () => {
    const first = await post('/v3.5/agent/action/list_customers', { limit: 1 });
    expect(first.body.next_page_id).toEqual(expect.any(String));
    const mixed = await post('/v3.5/agent/action/list_customers', {
      page_id: first.body.next_page_id,
      limit: 5,
    });
    expect(mixed).toMatchObject({ status: 400, body: { error: { type: 'validation' } } });
    const statistics = await post('/v3.5/agent/action/list_customers', {
      filters: { chats_count: { gte: 1 } },
    });
    expect(statistics).toMatchObject({ status: 400, body: { error: { type: 'validation' } } });
    const tooMany = await post('/v3.5/agent/action/list_customers', { limit: 101 });
    expect(tooMany).toMatchObject({ status: 400, body: { error: { type: 'validation' } } });
    const newer = await post('/v3.6/agent/action/list_customers', {});
    expect(newer).toMatchObject({ status: 404, body: { error: { type: 'not_found' } } });
  });
});

describe('follow_customer / unfollow_customer (3.4/3.5)', () => {
  it('records the follow, pushes the customer changes to the follower, and unfollows', async () => {
    const followed = await customer('Dee', 'dee@follow.test');
    const socket = await login('/v3.4/agent/rtm/ws');
    const follow = await socket.request('follow_customer', { id: followed.id });
    expect(follow).toMatchObject({ success: true, payload: {} });
    expect(await listCustomerFollowers(harness.db, harness.organization.id, followed.id)).toEqual([
      agentId,
    ]);
    const listed = await post('/v3.5/agent/action/list_customers', {
      filters: { customer_id: { values: [followed.id] } },
    });
    expect(listed.body.customers).toEqual([expect.objectContaining({ followed: true })]);

    await post('/v3.6/agent/action/update_customer', { id: followed.id, name: 'Dee Dee' });
    const push = await socket.push('customer_updated');
    expect(push.payload).toMatchObject({ id: followed.id, name: 'Dee Dee' });

    const unfollow = await post('/v3.5/agent/action/unfollow_customer', { id: followed.id });
    expect(unfollow).toMatchObject({ status: 200, body: {} });
    expect(await listCustomerFollowers(harness.db, harness.organization.id, followed.id)).toEqual(
      [],
    );
  });

  it('refuses unknown customers and 3.6 callers', async () => {
    const unknown = await post('/v3.5/agent/action/follow_customer', {
      id: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown).toMatchObject({ status: 404, body: { error: { type: 'not_found' } } });
    const missing = await post('/v3.5/agent/action/unfollow_customer', {});
    expect(missing).toMatchObject({ status: 400, body: { error: { type: 'validation' } } });
    const newer = await post('/v3.6/agent/action/follow_customer', { id: 'x' });
    expect(newer).toMatchObject({ status: 404, body: { error: { type: 'not_found' } } });
  });
});

describe('change_push_notifications (3.4 RTM)', () => {
  it('stores the setting per agent and device, over 3.4 RTM only', async () => {
    const socket = await login('/v3.4/agent/rtm/ws');
    const body = { firebase_token: 'device-1', platform: 'ios', enabled: true };
    expect(await socket.request('change_push_notifications', body)).toMatchObject({
      success: true,
      payload: {},
    });
    await socket.request('change_push_notifications', { ...body, enabled: false });
    expect(await listPushNotifications(harness.db, harness.organization.id, agentId)).toEqual([
      { firebaseToken: 'device-1', platform: 'ios', enabled: false },
    ]);

    const bad = await socket.request('change_push_notifications', { ...body, platform: 'web' });
    expect(bad).toMatchObject({ success: false, payload: { error: { type: 'validation' } } });
    const web = await post('/v3.4/agent/action/change_push_notifications', body);
    expect(web.status).toBeGreaterThanOrEqual(400);
    const newer = await login('/v3.5/agent/rtm/ws');
    const refused = await newer.request('change_push_notifications', body);
    expect(refused).toMatchObject({ success: false, payload: { error: { type: 'not_found' } } });
  });
});
