import { createGroup } from '@threadline/accounts';
import { type Command, Requester } from '@threadline/contracts';
import { ProtocolError } from '@threadline/protocol';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { aCustomer, errorOf, loggedInCustomer, webCall } from './clients.ts';
import { type Harness, startHarness } from './harness.ts';
import { TestSocket } from './rtm-client.ts';

let harness: Harness;
let router: Command[];
let customer: { id: string; authorization: string };

beforeAll(async () => {
  harness = await startHarness();
  await createGroup(harness.db, { organizationId: harness.organization.id, name: 'Sales' });
  customer = await aCustomer(harness);
  await harness.db
    .insertInto('license_properties')
    .values([
      {
        organization_id: harness.organization.id,
        namespace: 'forms',
        name: 'prechat_enabled',
        value: JSON.stringify(true),
      },
      {
        organization_id: harness.organization.id,
        namespace: 'shop',
        name: 'currency',
        value: JSON.stringify('EUR'),
      },
    ])
    .execute();
  await harness.db
    .insertInto('group_properties')
    .values({
      organization_id: harness.organization.id,
      group_id: 1,
      namespace: 'shop',
      name: 'desk',
      value: JSON.stringify(7),
    })
    .execute();
});

beforeEach(() => {
  router = harness.respond(harness.subjects.routerExecute, (command) => {
    const payload = JSON.parse(command.payloadJson) as { group_ids?: number[]; group_id?: number };
    if (command.action === 'list_group_statuses') {
      return {
        groups_status: Object.fromEntries(
          (payload.group_ids ?? []).map((id) => [String(id), id === 0 ? 'online' : 'offline']),
        ),
      };
    }
    if (command.action === 'get_predicted_agent') {
      if (payload.group_id === 1) throw new ProtocolError('group_offline', 'Group 1 is offline');
      return { agent_id: 'agent@harness.test' };
    }
    return {};
  });
});

afterEach(async () => {
  await TestSocket.closeAll();
  await harness.stopResponders();
});

afterAll(async () => {
  await harness?.close();
});

const get = (action: string, query: string) =>
  webCall(harness, 'customer', action, { method: 'GET', query });
const asCustomer = (action: string, body: unknown) =>
  webCall(harness, 'customer', action, { body, authorization: customer.authorization });

describe('widget configuration (GET, no token)', () => {
  it('get_dynamic_configuration answers the 3.6 shape with the online groups from the router', async () => {
    const answer = await get('get_dynamic_configuration', 'group_id=0&url=https%3A%2F%2Fshop.test');
    expect(answer).toEqual({
      status: 200,
      body: {
        organization_id: harness.organization.id,
        default_widget: 'livechat',
        livechat_active: true,
        livechat: {
          group_id: 0,
          client_limit_exceeded: false,
          domain_allowed: true,
          online_group_ids: [0],
          config_version: '1',
          localization_version: '1',
          language: 'en',
        },
      },
    });
    const query = router.find((command) => command.action === 'list_group_statuses')!;
    expect(JSON.parse(query.payloadJson)).toEqual({ group_ids: [0, 1] });
    expect(Requester.toJSON(query.requester!)).toMatchObject({
      organizationId: harness.organization.id,
    });
  });

  it('get_dynamic_configuration is group_not_found for an unknown group, validation without organization', async () => {
    expect(errorOf((await get('get_dynamic_configuration', 'group_id=9')).body)).toBe(
      'group_not_found',
    );
    const response = await fetch(
      `${harness.gateway.url}/v3.6/customer/action/get_dynamic_configuration`,
    );
    expect(response.status).toBe(400);
  });

  it('get_configuration carries license and group properties; get_localization a phrase map', async () => {
    const configuration = await get('get_configuration', 'group_id=1&version=1');
    expect(configuration.status).toBe(200);
    expect(configuration.body).toMatchObject({
      buttons: [],
      properties: { license: { shop: { currency: 'EUR' } }, group: { shop: { desk: 7 } } },
    });
    const localization = await get('get_localization', 'group_id=0&language=en&version=1');
    expect(localization.body).toMatchObject({ Send: 'Send' });
    expect(errorOf((await get('get_localization', 'group_id=0&version=1')).body)).toBe(
      'validation',
    );
  });

  it('list_license_properties and list_group_properties filter by namespace and name', async () => {
    expect((await get('list_license_properties', 'namespace=shop')).body).toEqual({
      shop: { currency: 'EUR' },
    });
    expect((await get('list_license_properties', 'name=currency')).body).toEqual({
      shop: { currency: 'EUR' },
    });
    expect((await get('list_group_properties', 'id=1')).body).toEqual({ shop: { desk: 7 } });
    expect(errorOf((await get('list_group_properties', 'id=5')).body)).toBe('group_not_found');
  });
});

describe('widget methods of a customer', () => {
  it('get_form: the pre-chat form when enabled by property, post-chat disabled by default', async () => {
    const prechat = await asCustomer('get_form', { group_id: 0, type: 'prechat' });
    expect(prechat.body).toMatchObject({ enabled: true, form: { id: 'prechat_default' } });
    expect((await asCustomer('get_form', { group_id: 0, type: 'postchat' })).body).toEqual({
      enabled: false,
    });
    expect(errorOf((await asCustomer('get_form', { group_id: 4, type: 'prechat' })).body)).toBe(
      'group_not_found',
    );
  });

  it('list_group_statuses: all groups, chosen groups, and unknown groups', async () => {
    expect((await asCustomer('list_group_statuses', { all: true })).body).toEqual({
      groups_status: { '0': 'online', '1': 'offline' },
    });
    expect((await asCustomer('list_group_statuses', { group_ids: [1] })).body).toEqual({
      groups_status: { '1': 'offline' },
    });
    expect(errorOf((await asCustomer('list_group_statuses', { group_ids: [3] })).body)).toBe(
      'group_not_found',
    );
    expect(errorOf((await asCustomer('list_group_statuses', {})).body)).toBe('validation');
  });

  it('get_predicted_agent and request_welcome_message name the agent routing would pick', async () => {
    const predicted = await asCustomer('get_predicted_agent', {});
    expect(predicted.body).toEqual({
      agent: {
        id: 'agent@harness.test',
        name: 'Agent Smith',
        avatar: '',
        is_bot: false,
        job_title: '',
        type: 'agent',
      },
      queue: false,
    });
    const welcome = await asCustomer('request_welcome_message', { group_id: 0 });
    expect(welcome.body).toMatchObject({
      id: 'default',
      predicted_agent: { id: 'agent@harness.test' },
      queue: false,
    });
    const offline = await asCustomer('get_predicted_agent', { group_id: 1 });
    expect([offline.status, errorOf(offline.body)]).toEqual([422, 'group_offline']);
  });

  it('check_goals, request_email_verification and get_url_info answer without side effects', async () => {
    expect(
      (
        await asCustomer('check_goals', {
          session_fields: [],
          group_id: 0,
          page_url: 'https://a.test',
        })
      ).body,
    ).toEqual({});
    expect(
      (await asCustomer('request_email_verification', { callback_uri: 'https://a.test/cb' })).body,
    ).toEqual({});
    expect((await asCustomer('get_url_info', { url: 'https://news.test/a?b=1' })).body).toEqual({
      url: 'https://news.test/a?b=1',
      title: 'news.test',
      description: '',
      image_url: '',
      image_original_url: '',
      image_width: 0,
      image_height: 0,
    });
    expect(errorOf((await asCustomer('get_url_info', { url: 'nope' })).body)).toBe('validation');
  });

  it('greetings never displayed are greeting_not_found, over RTM too', async () => {
    const accept = await asCustomer('accept_greeting', { greeting_id: 1, unique_id: 'u1' });
    expect([accept.status, errorOf(accept.body)]).toEqual([404, 'greeting_not_found']);
    harness.respond(harness.subjects.chatStoreQuery, () => ({ chats_summary: [], total_chats: 0 }));
    const socket = await loggedInCustomer(harness, customer.authorization);
    expect(errorOf((await socket.request('cancel_greeting', { unique_id: 'u1' })).payload)).toBe(
      'greeting_not_found',
    );
    expect(
      errorOf(
        (
          await socket.request('send_greeting_button_clicked', {
            greeting_unique_id: 'u1',
            button_id: 'b',
          })
        ).payload,
      ),
    ).toBe('greeting_not_found');
  });
});
