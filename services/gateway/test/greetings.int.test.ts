import {
  createAgent,
  createCustomer,
  createOrganization,
  issueCustomerToken,
} from '@threadline/accounts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { aCustomer, errorOf, webCall } from './clients.ts';
import { configure } from './configuration-client.ts';
import { agentBasic, type Harness, startHarness } from './harness.ts';
import { type Frame, TestSocket } from './rtm-client.ts';

let harness: Harness;
/** Customers whose chat-store stand-in answers with an active chat. */
const chatting = new Set<string>();
let admin: string;

beforeAll(async () => {
  harness = await startHarness();
  admin = agentBasic(harness);
});

beforeEach(() => {
  harness.respond(harness.subjects.routerExecute, (command) => {
    if (command.action === 'get_predicted_agent') return { agent_id: 'agent@harness.test' };
    if (command.action === 'list_group_statuses') return { groups_status: { 0: 'online' } };
    return {};
  });
  harness.respond(harness.subjects.chatStoreQuery, (command) => {
    const requester = command.requester!;
    const active = chatting.has(requester.userId);
    return {
      chats_summary: active ? [{ id: 'CHAT1', active: true, users: [] }] : [],
      found_chats: active ? 1 : 0,
    };
  });
});

afterEach(async () => {
  await TestSocket.closeAll();
  await harness.stopResponders();
  // Greetings of one test must not greet the next one's customers.
  await harness.db.deleteFrom('greetings').execute();
});

afterAll(async () => {
  await harness?.close();
});

const pricingGreeting = {
  name: 'Pricing help',
  event: { type: 'message', text: 'Questions about our plans?' },
  rules: { conditions: [{ type: 'url', operator: 'contains', value: '/pricing' }] },
};

/** The same greeting in LiveChat's form (Configuration API 3.6 `create_greeting`). */
const liveChatPricing = {
  type: 'normal',
  active: true,
  name: 'Pricing help',
  group: 0,
  rules: [{ condition: 'and', type: 'url_current', operator: 'contains', value: '/pricing' }],
  properties: { addon: 'chat_widget', is_exit_intent: 'false', 'greeting-message_text': 'Hi!' },
};

async function createGreeting(definition: object = pricingGreeting): Promise<number> {
  const answer = await configure(harness, admin, 'create_greeting', definition);
  expect(answer).toMatchObject({ status: 200 });
  return answer.body.id as number;
}

/** A customer logged in over RTM on `page`; returns the socket and the login response. */
async function customerOn(
  customer: { authorization: string },
  page?: { url: string; title?: string },
  version = '3.6',
): Promise<{ socket: TestSocket; login: Frame }> {
  const socket = await TestSocket.open(
    harness.gateway.url,
    `/v${version}/customer/rtm/ws?organization_id=${harness.organization.id}`,
  );
  const login = await socket.request('login', {
    token: customer.authorization,
    ...(page ? { customer_page: page } : {}),
  });
  expect(login.success, JSON.stringify(login)).toBe(true);
  return { socket, login };
}

async function statisticsOf(customerId: string) {
  const answer = await webCall(harness, 'agent', 'get_customer', {
    body: { id: customerId },
    authorization: admin,
  });
  expect(answer.status).toBe(200);
  return answer.body.statistics as Record<string, number>;
}

/** The customer's current visit began `ago` ms ago; they were last seen a minute ago. */
async function visitStarted(customerId: string, ago: number): Promise<void> {
  await harness.db
    .insertInto('customer_visits')
    .values({
      organization_id: harness.organization.id,
      customer_id: customerId,
      number: 1,
      started_at: new Date(Date.now() - ago),
      seen_at: new Date(Date.now() - 60_000),
    })
    .execute();
}

/** The ids of a `list_greetings` answer's greetings. */
const idsOf = (body: Record<string, unknown>) =>
  (body.greetings as { id: number }[]).map((greeting) => greeting.id);

const greetingsSeen = (socket: TestSocket) =>
  socket.frames.filter((frame) => frame.action === 'incoming_greeting');

describe('greeting management (Configuration API)', () => {
  it("creates in Threadline's form, reads in LiveChat's shape, lists, updates and deletes", async () => {
    const id = await createGreeting({ ...pricingGreeting, agent_id: 'agent@harness.test' });
    const read = await configure(harness, admin, 'get_greeting', { id });
    expect(read.body).toEqual({
      id,
      type: 'normal',
      active: true,
      name: 'Pricing help',
      group: 0,
      rules: [{ condition: 'and', type: 'url_current', operator: 'contains', value: '/pricing' }],
      properties: {
        is_exit_intent: 'false',
        'greeting-message_text': 'Questions about our plans?',
      },
      agent_id: 'agent@harness.test',
      event: { type: 'message', text: 'Questions about our plans?' },
      author_id: 'agent@harness.test',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });

    await configure(harness, admin, 'update_greeting', { id, active: false, agent_id: null });
    const updated = await configure(harness, admin, 'get_greeting', { id });
    expect(updated.body).toMatchObject({ active: false, name: 'Pricing help' });
    expect(updated.body).not.toHaveProperty('agent_id');

    const other = await createGreeting({ ...pricingGreeting, name: 'Second' });
    const all = await configure(harness, admin, 'list_greetings', {});
    expect(all.body).toMatchObject({ found_greetings: 2 });
    expect(idsOf(all.body)).toEqual([id, other]);
    const active = await configure(harness, admin, 'list_greetings', { filters: { active: true } });
    expect(idsOf(active.body)).toEqual([other]);

    expect(await configure(harness, admin, 'delete_greeting', { id })).toMatchObject({
      status: 200,
    });
    expect(await configure(harness, admin, 'get_greeting', { id })).toMatchObject({
      status: 404,
      body: { error: { type: 'not_found' } },
    });
    expect(await configure(harness, admin, 'delete_greeting', { id })).toMatchObject({
      status: 404,
    });
  });

  it("creates and changes a greeting in LiveChat's form, and pages list_greetings LiveChat's way", async () => {
    const created = await configure(harness, admin, 'create_greeting', liveChatPricing);
    expect(created).toMatchObject({ status: 200, body: { id: expect.any(Number) } });
    const id = created.body.id as number;
    expect((await configure(harness, admin, 'get_greeting', { id })).body).toMatchObject({
      ...liveChatPricing,
      properties: { addon: 'chat_widget', is_exit_intent: 'false', 'greeting-message_text': 'Hi!' },
      event: { type: 'message', text: 'Hi!' },
    });

    const changes = {
      id,
      active: false,
      rules: [{ condition: 'or', type: 'visits_number', operator: 'greater_than', value: '1' }],
      properties: { 'greeting-message_text': 'Welcome back!' },
    };
    expect(await configure(harness, admin, 'update_greeting', changes)).toMatchObject({
      status: 200,
    });
    expect((await configure(harness, admin, 'get_greeting', { id })).body).toMatchObject({
      active: false,
      name: 'Pricing help',
      rules: [{ condition: 'or', type: 'visits_number', operator: 'greater_or_equal', value: '2' }],
      properties: { addon: 'chat_widget', 'greeting-message_text': 'Welcome back!' },
    });

    const others = [await createGreeting(), await createGreeting()];
    const first = await configure(harness, admin, 'list_greetings', { groups: [0], limit: 2 });
    expect(first.body).toMatchObject({ found_greetings: 3, next_page_id: expect.any(String) });
    expect(idsOf(first.body)).toEqual([id, others[0]]);
    const next = await configure(harness, admin, 'list_greetings', {
      page_id: first.body.next_page_id,
    });
    expect(idsOf(next.body)).toEqual([others[1]]);
    expect(next.body).not.toHaveProperty('next_page_id');
    expect((await configure(harness, admin, 'list_greetings', { groups: [1] })).body).toEqual({
      greetings: [],
      found_greetings: 0,
    });

    const refused = [
      { ...liveChatPricing, rules: [{ condition: 'and', type: 'geolocation', value: 'PL' }] },
      { ...liveChatPricing, type: 'popup' },
      { ...liveChatPricing, properties: {} },
    ];
    for (const definition of refused) {
      expect(await configure(harness, admin, 'create_greeting', definition)).toMatchObject({
        status: 400,
        body: { error: { type: 'validation' } },
      });
    }
    for (const request of [{ page_id: first.body.next_page_id, limit: 5 }, { limit: 101 }]) {
      expect(await configure(harness, admin, 'list_greetings', request)).toMatchObject({
        status: 400,
        body: { error: { type: 'validation' } },
      });
    }
  });

  it('refuses bad definitions, unknown groups and agents, and normal agents', async () => {
    const invalid = [
      { name: 'No event' },
      { ...pricingGreeting, event: { type: 'file', url: 'https://x.test/a.png' } },
      {
        ...pricingGreeting,
        rules: { conditions: [{ type: 'url', operator: 'like', value: 'x' }] },
      },
      { ...pricingGreeting, rules: { conditions: [{ type: 'visits_count' }] } },
      {
        ...pricingGreeting,
        event: {
          type: 'rich_message',
          template_id: 'cards',
          elements: [{ buttons: [{ text: 'Hi', type: 'message' }] }],
        },
      },
    ];
    for (const definition of invalid) {
      expect(await configure(harness, admin, 'create_greeting', definition)).toMatchObject({
        status: 400,
        body: { error: { type: 'validation' } },
      });
    }
    expect(
      await configure(harness, admin, 'create_greeting', { ...pricingGreeting, group_id: 42 }),
    ).toMatchObject({ status: 404, body: { error: { type: 'group_not_found' } } });
    expect(
      await configure(harness, admin, 'create_greeting', {
        ...pricingGreeting,
        agent_id: 'nobody@x.test',
      }),
    ).toMatchObject({ body: { error: { type: 'not_found' } } });
    const normal = await createAgent(harness.db, {
      organizationId: harness.organization.id,
      email: 'normal@harness.test',
      name: 'Norma',
    });
    const asNormal = `Basic ${normal.basicCredentials}`;
    expect(await configure(harness, asNormal, 'create_greeting', pricingGreeting)).toMatchObject({
      status: 403,
      body: { error: { type: 'authorization' } },
    });
    const id = await createGreeting();
    expect(await configure(harness, asNormal, 'get_greeting', { id })).toMatchObject({
      status: 200,
    });
    expect(await configure(harness, asNormal, 'delete_greeting', { id })).toMatchObject({
      status: 403,
    });
  });
});

describe('greeting delivery', () => {
  it('greets a customer whose login page matches, once per visit, and shows it again at the next login', async () => {
    const greetingId = await createGreeting();
    const customer = await aCustomer(harness);
    const first = await customerOn(customer, { url: 'https://shop.test/pricing', title: 'Plans' });
    expect(first.login.payload).not.toHaveProperty('greeting');
    const push = await first.socket.push('incoming_greeting');
    expect(push.payload).toEqual({
      id: greetingId,
      unique_id: expect.any(String),
      displayed_first_time: true,
      subtype: 'greeting',
      is_exit_intent: false,
      event: {
        id: expect.any(String),
        type: 'message',
        text: 'Questions about our plans?',
        created_at: expect.any(String),
        author_id: 'agent@harness.test',
        visibility: 'all',
      },
      agent: {
        id: 'agent@harness.test',
        name: 'Agent Smith',
        avatar: '',
        job_title: '',
        is_bot: false,
      },
    });
    // Responses come after pushes held during login; the greeting came after the response.
    const frames = first.socket.frames;
    expect(frames.indexOf(first.login)).toBeLessThan(frames.indexOf(push));

    // A reload (a new login in the same visit) finds the greeting pending and is not greeted again.
    const second = await customerOn(customer, { url: 'https://shop.test/pricing' });
    expect(second.login.payload?.greeting).toEqual({ ...push.payload, accepted: false });
    expect((await statisticsOf(customer.id)).greetings_shown_count).toBe(1);
    expect(greetingsSeen(second.socket)).toEqual([]);
  });

  it('greets the next login after a greeting is created, though the last login found none', async () => {
    // This login finds the group without greetings (an answer the gateway keeps for a while).
    const before = await customerOn(await aCustomer(harness), { url: 'https://shop.test/pricing' });
    expect(before.login.payload).not.toHaveProperty('greeting');
    const greetingId = await createGreeting();
    const after = await customerOn(await aCustomer(harness), { url: 'https://shop.test/pricing' });
    expect((await after.socket.push('incoming_greeting')).payload).toMatchObject({
      id: greetingId,
    });
    expect(greetingsSeen(before.socket)).toEqual([]);
  });

  it('accepts and cancels over RTM and Web, pushing to every connection of the customer', async () => {
    const greetingId = await createGreeting();
    const customer = await aCustomer(harness);
    const { socket } = await customerOn(customer, { url: 'https://shop.test/pricing' });
    const uniqueId = (await socket.push('incoming_greeting')).payload?.unique_id as string;
    const other = await customerOn(customer);
    expect(other.login.payload?.greeting).toMatchObject({ unique_id: uniqueId });

    const accepted = await socket.request('accept_greeting', {
      greeting_id: greetingId,
      unique_id: uniqueId,
    });
    expect(accepted).toMatchObject({ success: true, payload: {} });
    expect((await other.socket.push('greeting_accepted')).payload).toEqual({ unique_id: uniqueId });
    // A retry is absorbed: still a success, counted once.
    expect(
      await socket.request('accept_greeting', { greeting_id: greetingId, unique_id: uniqueId }),
    ).toMatchObject({ success: true });
    expect(await statisticsOf(customer.id)).toMatchObject({
      greetings_shown_count: 1,
      greetings_accepted_count: 1,
    });
    const relogin = await customerOn(customer);
    expect(relogin.login.payload?.greeting).toMatchObject({ unique_id: uniqueId, accepted: true });

    const canceled = await webCall(harness, 'customer', 'cancel_greeting', {
      body: { unique_id: uniqueId },
      authorization: customer.authorization,
    });
    expect(canceled).toEqual({ status: 200, body: {} });
    expect((await socket.push('greeting_canceled')).payload).toEqual({ unique_id: uniqueId });
    expect(
      await webCall(harness, 'customer', 'cancel_greeting', {
        body: { unique_id: uniqueId },
        authorization: customer.authorization,
      }),
    ).toEqual({ status: 200, body: {} });
    // Closed: it can no longer be accepted, and a login no longer carries it, nor shows it again.
    const again = await socket.request('accept_greeting', {
      greeting_id: greetingId,
      unique_id: uniqueId,
    });
    expect(errorOf(again.payload)).toBe('greeting_not_found');
    const last = await customerOn(customer, { url: 'https://shop.test/pricing' });
    expect(last.login.payload).not.toHaveProperty('greeting');
    expect((await statisticsOf(customer.id)).greetings_shown_count).toBe(1);
  });

  it("answers greeting_not_found for another customer's display or the wrong greeting id", async () => {
    const greetingId = await createGreeting();
    const owner = await aCustomer(harness);
    const { socket } = await customerOn(owner, { url: 'https://shop.test/pricing' });
    const uniqueId = (await socket.push('incoming_greeting')).payload?.unique_id as string;
    const intruder = await aCustomer(harness);
    const rtm = await customerOn(intruder);
    for (const [action, payload] of [
      ['accept_greeting', { greeting_id: greetingId, unique_id: uniqueId }],
      ['cancel_greeting', { unique_id: uniqueId }],
      ['send_greeting_button_clicked', { greeting_unique_id: uniqueId, button_id: 'b' }],
    ] as const) {
      expect(errorOf((await rtm.socket.request(action, payload)).payload)).toBe(
        'greeting_not_found',
      );
      const web = await webCall(harness, 'customer', action, {
        body: payload,
        authorization: intruder.authorization,
      });
      expect([web.status, errorOf(web.body)]).toEqual([404, 'greeting_not_found']);
    }
    const wrongId = await socket.request('accept_greeting', {
      greeting_id: greetingId + 1000,
      unique_id: uniqueId,
    });
    expect(errorOf(wrongId.payload)).toBe('greeting_not_found');
    expect((await statisticsOf(owner.id)).greetings_accepted_count).toBe(0);
  });

  it('greets when a page update matches, not on other pages, nor while the customer chats', async () => {
    await createGreeting();
    const customer = await aCustomer(harness);
    const { socket, login } = await customerOn(customer, { url: 'https://shop.test/' });
    expect(login.payload).not.toHaveProperty('greeting');
    expect(
      await socket.request('update_customer_page', { url: 'https://shop.test/about' }),
    ).toMatchObject({ success: true });
    expect((await statisticsOf(customer.id)).greetings_shown_count).toBe(0);
    await socket.request('update_customer_page', { url: 'https://shop.test/pricing' });
    expect((await socket.push('incoming_greeting')).payload).toMatchObject({
      displayed_first_time: true,
    });

    const busy = await aCustomer(harness);
    chatting.add(busy.id);
    const busySocket = await customerOn(busy, { url: 'https://shop.test/pricing' });
    await busySocket.socket.request('update_customer_page', { url: 'https://shop.test/pricing?x' });
    expect((await statisticsOf(busy.id)).greetings_shown_count).toBe(0);
    expect(greetingsSeen(busySocket.socket)).toEqual([]);
  });

  it('checks a rich greeting’s buttons and counts time on the site from the visit start', async () => {
    const greetingId = await createGreeting({
      name: 'Returning visitors',
      subtype: 'announcement',
      addon: 'campaign',
      event: {
        type: 'rich_message',
        template_id: 'quick_replies',
        elements: [
          {
            title: 'Need help?',
            buttons: [{ text: 'Yes', type: 'message', value: 'Yes', postback_id: 'yes' }],
          },
        ],
      },
      rules: {
        match: 'all',
        conditions: [
          { type: 'time_on_site', seconds: 300 },
          { type: 'visits_count', min: 1, max: 3 },
        ],
      },
    });
    const customer = await aCustomer(harness);
    // The customer has been around for ten minutes, last seen a minute ago: the same visit.
    await visitStarted(customer.id, 600_000);
    const { socket } = await customerOn(customer, { url: 'https://shop.test/' });
    const push = await socket.push('incoming_greeting');
    expect(push.payload).toMatchObject({
      id: greetingId,
      subtype: 'announcement',
      addon: 'campaign',
      event: { type: 'rich_message', template_id: 'quick_replies' },
    });
    const uniqueId = push.payload?.unique_id as string;
    expect(
      await socket.request('send_greeting_button_clicked', {
        greeting_unique_id: uniqueId,
        button_id: 'yes',
      }),
    ).toMatchObject({ success: true });
    const unknownButton = await socket.request('send_greeting_button_clicked', {
      greeting_unique_id: uniqueId,
      button_id: 'no',
    });
    expect(errorOf(unknownButton.payload)).toBe('greeting_not_found');
  });

  it('drops a pending greeting once deactivated, and the next greeting may show', async () => {
    const first = await createGreeting();
    const second = await createGreeting({ ...pricingGreeting, name: 'Second' });
    const customer = await aCustomer(harness);
    const { socket } = await customerOn(customer, { url: 'https://shop.test/pricing' });
    expect((await socket.push('incoming_greeting')).payload).toMatchObject({ id: first });
    await configure(harness, admin, 'update_greeting', { id: first, active: false });
    const reload = await customerOn(customer, { url: 'https://shop.test/pricing' });
    expect(reload.login.payload).not.toHaveProperty('greeting');
    expect((await reload.socket.push('incoming_greeting')).payload).toMatchObject({ id: second });
  });

  it('greets only inside the active window', async () => {
    const hourLater = new Date(Date.now() + 3_600_000).toISOString();
    const greetingId = await createGreeting({ ...liveChatPricing, active_from: hourLater });
    const customer = await aCustomer(harness);
    await customerOn(customer, { url: 'https://shop.test/pricing' });
    await configure(harness, admin, 'update_greeting', { id: greetingId, active_from: null });
    // Nothing was shown before the window opened: nothing is pending, and now it greets.
    const reload = await customerOn(customer, { url: 'https://shop.test/pricing' });
    expect(reload.login.payload).not.toHaveProperty('greeting');
    expect((await reload.socket.push('incoming_greeting')).payload).toMatchObject({
      id: greetingId,
    });
    await configure(harness, admin, 'update_greeting', {
      id: greetingId,
      active_until: new Date(Date.now() - 1000).toISOString(),
      active_from: new Date(Date.now() - 60_000).toISOString(),
    });
    // Its window closed: it is no longer pending either.
    const later = await customerOn(customer, { url: 'https://shop.test/pricing' });
    expect(later.login.payload).not.toHaveProperty('greeting');
  });

  it('greets when the time on the site is reached while the customer stays (timed re-check)', async () => {
    const greetingId = await createGreeting({
      ...pricingGreeting,
      rules: { conditions: [{ type: 'time_on_site', seconds: 300 }] },
    });
    const customer = await aCustomer(harness);
    // The visit began 298 seconds ago: the gateway's timer fires two seconds after login.
    await visitStarted(customer.id, 298_000);
    const { socket, login } = await customerOn(customer, { url: 'https://shop.test/' });
    expect(login.payload).not.toHaveProperty('greeting');
    // Not yet at login: nothing was shown then.
    expect((await statisticsOf(customer.id)).greetings_shown_count).toBe(0);
    expect((await socket.push('incoming_greeting')).payload).toMatchObject({ id: greetingId });
  });

  it('greets 3.5 customers too, who have no send_greeting_button_clicked', async () => {
    const greetingId = await createGreeting();
    const customer = await aCustomer(harness);
    const { socket } = await customerOn(customer, { url: 'https://shop.test/pricing' }, '3.5');
    const uniqueId = (await socket.push('incoming_greeting')).payload?.unique_id as string;
    const clicked = await socket.request('send_greeting_button_clicked', {
      greeting_unique_id: uniqueId,
      button_id: 'yes',
    });
    expect(errorOf(clicked.payload)).toBe('not_found');
    expect(
      await socket.request('accept_greeting', { greeting_id: greetingId, unique_id: uniqueId }),
    ).toMatchObject({ success: true });
  });

  it("never shows one organization's greeting to another organization's customers", async () => {
    const elsewhere = await createOrganization(harness.db, { name: 'Elsewhere' });
    const owner = await createAgent(harness.db, {
      organizationId: elsewhere.id,
      email: 'owner@elsewhere.test',
      name: 'Owner',
      role: 'owner',
    });
    const theirs = await configure(harness, `Basic ${owner.basicCredentials}`, 'create_greeting', {
      ...pricingGreeting,
      rules: { conditions: [] },
    });
    expect(theirs.status).toBe(200);
    expect(await configure(harness, admin, 'get_greeting', { id: theirs.body.id })).toMatchObject({
      status: 404,
    });
    expect((await configure(harness, admin, 'list_greetings', {})).body).toEqual({
      greetings: [],
      found_greetings: 0,
    });

    const customer = await aCustomer(harness);
    const { socket, login } = await customerOn(customer, { url: 'https://shop.test/pricing' });
    await socket.request('update_customer_page', { url: 'https://shop.test/pricing/2' });
    expect(login.payload).not.toHaveProperty('greeting');
    expect((await statisticsOf(customer.id)).greetings_shown_count).toBe(0);

    // Their own customer is greeted by their greeting.
    const theirCustomer = await createCustomer(harness.db, { organizationId: elsewhere.id });
    const token = await issueCustomerToken(harness.db, {
      organizationId: elsewhere.id,
      customerId: theirCustomer.id,
    });
    const theirSocket = await TestSocket.open(
      harness.gateway.url,
      `/v3.6/customer/rtm/ws?organization_id=${elsewhere.id}`,
    );
    await theirSocket.request('login', { token: `Bearer ${token.accessToken}` });
    expect((await theirSocket.push('incoming_greeting')).payload).toMatchObject({
      id: theirs.body.id,
    });
    expect(greetingsSeen(socket)).toEqual([]);
  });
});
