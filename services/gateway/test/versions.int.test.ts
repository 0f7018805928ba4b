import { createBot, createOrganization, findCustomer } from '@threadline/accounts';
import type { Command } from '@threadline/contracts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { agentBasic, type Harness, startHarness } from './harness.ts';
import { TestSocket } from './rtm-client.ts';

let harness: Harness;
let queries: Command[];
let botId: string;
let foreignBotId: string;

const summary = {
  id: 'PJ0MRSHTDG',
  last_thread_summary: { id: 'K600PKZON8', active: true },
  last_event_per_type: {
    message: {
      thread_id: 'K600PKZON8',
      thread_created_at: '2026-01-01T00:00:00.000000Z',
      event: { id: 'K600PKZON8_1', type: 'message' },
    },
  },
};

beforeAll(async () => {
  harness = await startHarness();
  botId = (await createBot(harness.db, { organizationId: harness.organization.id, name: 'Bot' }))
    .bot.id;
  const other = await createOrganization(harness.db, { name: 'Other' });
  foreignBotId = (await createBot(harness.db, { organizationId: other.id, name: 'Theirs' })).bot.id;
});

beforeEach(() => {
  queries = harness.respond(harness.subjects.chatStoreQuery, () => ({
    chats_summary: [summary],
    found_chats: 1,
  }));
  harness.respond(harness.subjects.routerExecute, () => ({}));
});

afterEach(async () => {
  await TestSocket.closeAll();
  await harness.stopResponders();
});

afterAll(async () => {
  await harness?.close();
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(harness.gateway.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: agentBasic(harness), ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('Web API versions', () => {
  it('translates a 3.5 list_chats to the core and marks the answer legacy', async () => {
    const response = await post('/v3.5/agent/action/list_chats', {
      filters: { include_active: false },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('legacy')).toBe('2027-08-07');
    expect(JSON.parse(queries[0]!.payloadJson)).toEqual({ filters: { active: false } });
    expect(queries[0]!.apiVersion).toBe('3.5');
    expect(response.body.chats_summary).toEqual([summary]);
  });

  it('marks 3.4 deprecated and answers 3.7 with chat info', async () => {
    const deprecated = await post('/v3.4/agent/action/list_chats', {});
    expect(deprecated.headers.get('deprecation')).toBe('2027-02-07');
    const preview = await post('/v3.7/agent/action/list_chats', {});
    expect(preview.headers.get('legacy')).toBeNull();
    expect(preview.body).toEqual({
      found_chats: 1,
      chats_info: [
        {
          id: 'PJ0MRSHTDG',
          last_thread_info: {
            id: 'K600PKZON8',
            active: true,
            last_event_per_type: { message: { event: { id: 'K600PKZON8_1', type: 'message' } } },
          },
        },
      ],
    });
  });

  it('refuses methods a version lacks with not_found, and versions it lacks with unsupported_version', async () => {
    const legacyOnly = await post('/v3.6/agent/action/get_license_info', {});
    expect(legacyOnly.status).toBe(404);
    expect(legacyOnly.body).toMatchObject({ error: { type: 'not_found' } });
    const removed = await post('/v3.3/agent/action/list_chats', {});
    expect(removed).toMatchObject({
      status: 400,
      body: { error: { type: 'unsupported_version' } },
    });
  });

  it('lets a 3.5 agent act as its bot with X-Author-Id, and ignores the header from 3.6 on', async () => {
    await post('/v3.5/agent/action/list_chats', {}, { 'x-author-id': botId });
    expect(queries[0]!.requester).toMatchObject({ userId: botId, userType: 'bot' });
    await post('/v3.6/agent/action/list_chats', {}, { 'x-author-id': botId });
    expect(queries[1]!.requester).toMatchObject({
      userId: 'agent@harness.test',
      userType: 'agent',
    });
    const foreign = await post(
      '/v3.5/agent/action/list_chats',
      {},
      { 'x-author-id': foreignBotId },
    );
    expect(foreign).toMatchObject({ status: 403, body: { error: { type: 'authorization' } } });
    expect(queries).toHaveLength(2);
  });
});

describe('Configuration API versions', () => {
  it("reads agents' and bots' work_scheduler in 3.4's day-keyed form to 3.4 clients", async () => {
    const workScheduler = {
      timezone: 'Europe/Warsaw',
      schedule: [
        { day: 'monday', enabled: true, start: '08:00', end: '16:00' },
        { day: 'sunday', enabled: false, start: '10:00', end: '12:00' },
      ],
    };
    for (const [update, id] of [
      ['update_agent', 'agent@harness.test'],
      ['update_bot', botId],
    ] as const) {
      const updated = await post(`/v3.6/configuration/action/${update}`, {
        id,
        work_scheduler: workScheduler,
      });
      expect(updated.status).toBe(200);
    }
    const dayKeyed = { monday: { start: '08:00', end: '16:00' } };
    const fields = ['work_scheduler'];
    const read = async (version: string, action: string, payload: object) =>
      (await post(`/v${version}/configuration/action/${action}`, { ...payload, fields })).body;
    const listed = async (version: string, action: string, id: string) =>
      ((await read(version, action, {})) as unknown as { id: string }[]).find(
        (item) => item.id === id,
      );

    expect(await read('3.4', 'get_agent', { id: 'agent@harness.test' })).toMatchObject({
      work_scheduler: dayKeyed,
    });
    expect(await listed('3.4', 'list_agents', 'agent@harness.test')).toMatchObject({
      work_scheduler: dayKeyed,
    });
    expect(await read('3.4', 'get_bot', { id: botId })).toMatchObject({ work_scheduler: dayKeyed });
    expect(await listed('3.4', 'list_bots', botId)).toMatchObject({ work_scheduler: dayKeyed });
    expect(await read('3.5', 'get_agent', { id: 'agent@harness.test' })).toMatchObject({
      work_scheduler: workScheduler,
    });
    expect(await listed('3.5', 'list_bots', botId)).toMatchObject({
      work_scheduler: workScheduler,
    });
  });
});

describe('methods only 3.4 and 3.5 have', () => {
  it('answers get_license_info with the license of the organization', async () => {
    const response = await post('/v3.5/agent/action/get_license_info', {});
    expect(response).toMatchObject({
      status: 200,
      body: { license_id: harness.organization.licenseId, in_trial: false },
    });
    expect(response.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT.*\.\d{6}Z$/);
  });

  it('creates a customer for a 3.4 agent, and refuses create_customer from 3.6 on', async () => {
    const response = await post('/v3.4/agent/action/create_customer', {
      name: 'Made by an agent',
      session_fields: [{ plan: 'gold' }],
    });
    expect(response.status).toBe(200);
    const customerId = String(response.body.customer_id);
    const customer = await findCustomer(harness.db, harness.organization.id, customerId);
    expect(customer).toMatchObject({ name: 'Made by an agent', sessionFields: [{ plan: 'gold' }] });
    const refused = await post('/v3.6/agent/action/create_customer', { name: 'No' });
    expect(refused).toMatchObject({ status: 404, body: { error: { type: 'not_found' } } });
  });
});

describe('RTM versions', () => {
  async function login(path: string): Promise<TestSocket> {
    const socket = await TestSocket.open(harness.gateway.url, path);
    const response = await socket.request('login', { token: agentBasic(harness) });
    expect(response.success).toBe(true);
    return socket;
  }

  it('gives a 3.7 agent chats_info at login and in list_chats', async () => {
    const socket = await TestSocket.open(harness.gateway.url, '/v3.7/agent/rtm/ws');
    const response = await socket.request('login', { token: agentBasic(harness) });
    expect(response.payload).not.toHaveProperty('chats_summary');
    expect(response.payload?.chats_info).toEqual([
      expect.objectContaining({ last_thread_info: expect.objectContaining({ id: 'K600PKZON8' }) }),
    ]);
  });

  it('answers a frame in a newer version in that version, and refuses an older one', async () => {
    const socket = await login('/v3.6/agent/rtm/ws');
    const newer = await socket.request('list_chats', {}, { version: '3.7' });
    expect(newer.payload).toHaveProperty('chats_info');
    const older = await socket.request('list_chats', {}, { version: '3.5' });
    expect(older).toMatchObject({
      success: false,
      payload: { error: { type: 'unsupported_version' } },
    });
  });

  it('sends each push in the versions the login asked for, without those a version lacks', async () => {
    const socket = await TestSocket.open(harness.gateway.url, '/v3.6/agent/rtm/ws');
    await socket.request('login', {
      token: agentBasic(harness),
      pushes: { '3.5': ['all'], '3.6': ['incoming_customer', 'thread_summary_set'] },
    });
    await harness.publishPush('agent@harness.test', {
      action: 'thread_summary_set',
      payloadJson: '{"chat_id":"C"}',
    });
    await harness.publishPush('agent@harness.test', {
      action: 'incoming_customer',
      payloadJson: '{"id":"c","visit":{"ip":"1.2.3.4"}}',
    });
    await socket.waitFor(
      (frame) => frame.action === 'incoming_customer' && frame.version === '3.5',
    );
    const pushes = socket.frames.filter((frame) => frame.type === 'push');
    expect(pushes.map((push) => `${push.version} ${push.action}`).sort()).toEqual([
      '3.5 incoming_customer',
      '3.6 incoming_customer',
      '3.6 thread_summary_set',
    ]);
    expect(pushes.find((push) => push.version === '3.5')?.payload).toEqual({
      id: 'c',
      last_visit: { ip: '1.2.3.4' },
    });
  });

  it("sends 3.4 connections auto access pushes under 3.4's names, as many as the rules touched", async () => {
    const socket = await TestSocket.open(harness.gateway.url, '/v3.6/agent/rtm/ws');
    await socket.request('login', {
      token: agentBasic(harness),
      pushes: { '3.4': ['auto_access_added', 'auto_access_deleted'], '3.6': ['all'] },
    });
    const changes = [
      { id: 'r1', next_id: 'r2', status: 'updated' },
      { id: 'r2', description: 'Shop', next_id: '', status: 'added' },
      { id: 'r0', status: 'deleted' },
    ];
    await harness.publishPush('agent@harness.test', {
      action: 'auto_accesses_updated',
      payloadJson: JSON.stringify(changes),
    });
    // Frames of one push are written in filter order: the 3.6 one comes last.
    await socket.waitFor((frame) => frame.action === 'auto_accesses_updated');
    const pushes = socket.frames.filter((frame) => frame.type === 'push');
    // 3.4's auto_access_updated was not asked for; 3.6 gets the one push it names.
    expect(pushes.map((push) => [push.version, push.action, push.payload])).toEqual([
      ['3.4', 'auto_access_added', { id: 'r2', description: 'Shop', next_id: '' }],
      ['3.4', 'auto_access_deleted', { id: 'r0' }],
      ['3.6', 'auto_accesses_updated', changes],
    ]);
  });
});
