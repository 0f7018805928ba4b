import { isDeepStrictEqual } from 'node:util';
import { createAgent, createClient, createGroup, createOrganization } from '@threadline/accounts';
import { createWebClient, RtmClient, requestCustomerToken } from '@threadline/sdk';
import { eventually } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type E2eWorld,
  isChat,
  liveChatPayload,
  startE2eWorld,
  startWebhookReceiver,
} from './e2e-world.ts';

/**
 * Every webhook action of 3.6, through the whole platform (two replicas of each service): one
 * license webhook per action points at a local receiver, the public APIs cause each action, and
 * every webhook must be an agent push that happened, in LiveChat's envelope, while every webhook
 * action pushed to an agent must have arrived as a webhook. Then the same for 3.5 and 3.7.
 */

// The Configuration API's "Triggering actions" of 3.6.
const actions36 = [
  'incoming_chat',
  'chat_deactivated',
  'chat_access_updated',
  'chat_transferred',
  'user_added_to_chat',
  'user_removed_from_chat',
  'incoming_event',
  'event_deleted',
  'event_updated',
  'incoming_rich_message_postback',
  'chat_properties_updated',
  'chat_properties_deleted',
  'thread_properties_updated',
  'thread_properties_deleted',
  'event_properties_updated',
  'event_properties_deleted',
  'thread_tagged',
  'thread_untagged',
  'routing_status_set',
  'customer_session_fields_updated',
  'events_marked_as_seen',
  'group_created',
  'group_updated',
  'group_deleted',
  'agent_created',
  'agent_updated',
  'agent_deleted',
  'agent_suspended',
  'agent_unsuspended',
  'agent_approved',
  'bot_created',
  'bot_updated',
  'bot_deleted',
  'auto_accesses_updated',
  'tag_created',
  'tag_deleted',
  'tag_updated',
  'thread_summary_set',
];

/**
 * Actions whose push no agent connection can see: `incoming_chat` for a new chat goes to its
 * customer only (an agent hears of it when assigned, by a push that is not a webhook), and
 * `customer_session_fields_updated` has no push. Their payloads are checked against the requests.
 */
const withoutAgentPush = new Set(['incoming_chat', 'customer_session_fields_updated']);

/**
 * LiveChat lists `event_updated`, but no Agent or Customer Chat API method of 3.6 updates an event
 * and Threadline sends no such push (docs/conformance.md), so no webhook may fire for it.
 */
const neverPushed = new Set(['event_updated']);

/** LiveChat's webhook body. */
interface Envelope {
  webhook_id: string;
  secret_key: string;
  action: string;
  organization_id: string;
  payload: unknown;
  additional_data: Record<string, unknown>;
}

let world: E2eWorld;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  world = await startE2eWorld({
    name: 'webhook-actions',
    replicas: 2,
    // The receiver is on loopback, which webhook URLs may reach only when the operator allows it.
    environment: { WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8,::1/128' },
  });
});

afterAll(async () => {
  await world?.stop();
  receiver?.server.close();
});

/** What the receiver got for one organization (each test has its own), in arrival order. */
function webhooksOf(organizationId: string): Envelope[] {
  return receiver.received
    .map((webhook) => webhook.body as unknown as Envelope)
    .filter((body) => body.organization_id === organizationId);
}

/** An organization with an owner (Ann), an agent of the Support group (Bob) and a widget client. */
async function organization() {
  const { accounts } = world;
  const created = await createOrganization(accounts, { name: 'Hooks' });
  const support = await createGroup(accounts, { organizationId: created.id, name: 'Support' });
  const client = await createClient(accounts, { organizationId: created.id, name: 'Widget' });
  const agent = (name: string, groups: number[]) =>
    createAgent(accounts, {
      organizationId: created.id,
      email: `${name}@hooks.test`,
      name,
      role: 'owner',
      groups,
    });
  return {
    organizationId: created.id,
    supportGroupId: support.id,
    clientId: client.id,
    ann: await agent('ann', [0]),
    bob: await agent('bob', [0, support.id]),
  };
}

const pushTimeoutMs = 20_000;

/**
 * The customer starts a chat with a message, the router gives it to the agent, who answers with a
 * rich message of one button (`postbackId`).
 */
async function chatWithCard(customer: RtmClient, agent: RtmClient, postbackId: string) {
  const started = await customer.request('start_chat', {
    chat: { thread: { events: [{ type: 'message', text: 'My order is late' }] } },
  });
  const chatId = String(started.chat_id);
  await agent.waitForPush('incoming_chat', isChat(chatId), pushTimeoutMs);
  const card = await agent.request('send_event', {
    chat_id: chatId,
    event: {
      type: 'rich_message',
      template_id: 'quick_replies',
      elements: [
        { buttons: [{ text: 'Yes', type: 'message', value: postbackId, postback_id: postbackId }] },
      ],
    },
  });
  return {
    chatId,
    threadId: String(started.thread_id),
    customerEventId: (started.event_ids as string[])[0]!,
    cardId: String(card.event_id),
  };
}

describe('webhooks of every 3.6 action', () => {
  it('fire with the push they announce, in LiveChat envelope, and nothing else', async () => {
    const team = await organization();
    const { organizationId, clientId } = team;
    const configuration = createWebClient({
      baseUrl: world.platform.gatewayUrls[0]!,
      api: 'configuration',
      credentials: { accountId: team.ann.agent.accountId, personalAccessToken: team.ann.pat },
    });

    // The names the Configuration API lists for 3.6 are exactly LiveChat's 38.
    const names = (await configuration.call('list_webhook_names', {
      version: '3.6',
    })) as unknown as {
      action: string;
    }[];
    expect(names.map((name) => name.action).sort()).toEqual([...actions36].sort());

    const registrations = new Map<string, string>();
    for (const action of actions36) {
      const { id } = await configuration.call('register_webhook', {
        action,
        secret_key: `secret-${action}`,
        url: receiver.url,
        owner_client_id: clientId,
        type: 'license',
      });
      registrations.set(action, String(id));
    }
    await configuration.call('enable_license_webhooks', { owner_client_id: clientId });

    // Chat actions: a customer's chat routed to Ann, and what agents and customer do in it.
    const ann = await world.connectAgent(team.ann, 0);
    const bob = await world.connectAgent(team.bob, 1);
    await ann.request('set_routing_status', { status: 'accepting_chats' });
    await bob.request('set_routing_status', { status: 'not_accepting_chats' });
    const { socket: customer, customerId } = await world.connectCustomer(
      organizationId,
      clientId,
      1,
    );
    const { chatId, threadId, customerEventId, cardId } = await chatWithCard(customer, ann, 'yes');
    await customer.request('send_rich_message_postback', {
      chat_id: chatId,
      thread_id: threadId,
      event_id: cardId,
      postback: { id: 'yes', toggled: true },
    });
    await customer.request('mark_events_as_seen', {
      chat_id: chatId,
      seen_up_to: new Date().toISOString(),
    });
    await customer.request('set_customer_session_fields', {
      session_fields: [{ plan: 'gold' }],
    });

    const properties = { test: { string_property: 'set' } };
    const deletion = { test: ['string_property'] };
    await ann.request('update_chat_properties', { id: chatId, properties });
    await ann.request('delete_chat_properties', { id: chatId, properties: deletion });
    const thread = { chat_id: chatId, thread_id: threadId };
    await ann.request('update_thread_properties', { ...thread, properties });
    await ann.request('delete_thread_properties', { ...thread, properties: deletion });
    const event = { ...thread, event_id: customerEventId };
    await ann.request('update_event_properties', { ...event, properties });
    await ann.request('delete_event_properties', { ...event, properties: deletion });

    await configuration.call('create_tag', { name: 'late_order', group_ids: [0] });
    await ann.request('tag_thread', { ...thread, tag: 'late_order' });
    await ann.request('untag_thread', { ...thread, tag: 'late_order' });
    await configuration.call('update_tag', { name: 'late_order', group_ids: [0] });
    await configuration.call('delete_tag', { name: 'late_order' });

    const bobId = team.bob.agent.id;
    await ann.request('add_user_to_chat', {
      chat_id: chatId,
      user_id: bobId,
      user_type: 'agent',
      visibility: 'all',
    });
    await ann.request('remove_user_from_chat', {
      chat_id: chatId,
      user_id: bobId,
      user_type: 'agent',
    });

    const oops = await customer.request('send_event', {
      chat_id: chatId,
      event: { type: 'message', text: 'Sent too soon' },
    });
    await customer.request('delete_event', { ...thread, event_id: String(oops.event_id) });

    // Bob takes the chat over through his group, closes it and asks for the thread's summary.
    await bob.request('set_routing_status', { status: 'accepting_chats' });
    const bobsPushesBefore = bob.pushes.length;
    await ann.request('transfer_chat', {
      id: chatId,
      target: { type: 'group', ids: [team.supportGroupId] },
    });
    // Bob had an incoming_chat push when Ann added him; this one is the router's assignment.
    await eventually(() => {
      const later = bob.pushes.slice(bobsPushesBefore);
      expect(later.some((push) => push.action === 'incoming_chat')).toBe(true);
    }, pushTimeoutMs);
    await bob.request('deactivate_chat', { id: chatId });
    await bob.request('request_thread_summary', thread);
    await bob.waitForPush('thread_summary_set', isChat(chatId), pushTimeoutMs);

    // Configuration actions, through the Configuration API.
    await configuration.call('create_agent', {
      id: 'carl@hooks.test',
      name: 'Carl',
      awaiting_approval: true,
    });
    await configuration.call('approve_agent', { id: 'carl@hooks.test' });
    await configuration.call('update_agent', { id: 'carl@hooks.test', job_title: 'Support' });
    await configuration.call('suspend_agent', { id: 'carl@hooks.test' });
    await configuration.call('unsuspend_agent', { id: 'carl@hooks.test' });
    await configuration.call('delete_agent', { id: 'carl@hooks.test' });
    const bot = await configuration.call('create_bot', {
      name: 'Helper',
      owner_client_id: clientId,
    });
    await configuration.call('update_bot', { id: String(bot.id), name: 'Helper 2' });
    await configuration.call('delete_bot', { id: String(bot.id) });
    const group = await configuration.call('create_group', { name: 'Sales' });
    await configuration.call('update_group', { id: Number(group.id), name: 'Sales EU' });
    await configuration.call('delete_group', { id: Number(group.id) });
    await configuration.call('add_auto_access', {
      access: { groups: [0] },
      conditions: { domain: { values: [{ value: 'hooks.test', exact_match: true }] } },
    });

    const expected = actions36.filter((action) => !neverPushed.has(action));
    await eventually(() => {
      const arrived = new Set(webhooksOf(organizationId).map((webhook) => webhook.action));
      expect([...arrived].sort()).toEqual([...expected].sort());
    }, 60_000);
    // Let late duplicates or strays arrive before judging what came.
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    const agents = [ann, bob];
    type Notification = { action: string; payload: unknown };
    const same = (a: Notification) => (b: Notification) =>
      a.action === b.action && isDeepStrictEqual(a.payload, b.payload);
    const pushesOf = (socket: RtmClient): Notification[] =>
      socket.pushes
        .filter((push) => actions36.includes(push.action))
        .map((push) => ({ ...push, payload: liveChatPayload(push.payload) }));
    const webhooks = webhooksOf(organizationId);
    for (const body of webhooks) {
      // LiveChat's envelope, from the registration for that action.
      expect(body).toMatchObject({
        webhook_id: registrations.get(body.action),
        secret_key: `secret-${body.action}`,
        action: expect.any(String),
        organization_id: organizationId,
        payload: expect.anything(),
        additional_data: {},
      });
      if (withoutAgentPush.has(body.action)) continue;
      // The payload of a push a connection received, and at most as often as one received it.
      // The customer is a witness too: when the router assigns an agent, the user_added_to_chat
      // push goes to the users already there, and there may be no agent among them.
      const pushed = Math.max(
        ...[...agents, customer].map((socket) => pushesOf(socket).filter(same(body)).length),
      );
      const sent = webhooks.filter(same(body)).length;
      expect({ ...body, pushed: Math.min(pushed, sent) }).toEqual({ ...body, pushed: sent });
    }

    // Every webhook action pushed to an agent arrived as a webhook (incoming_chat pushes to agents
    // are assignments, which LiveChat does not announce as incoming_chat webhooks).
    for (const push of agents.flatMap(pushesOf)) {
      if (push.action === 'incoming_chat') continue;
      expect(webhooks.some(same(push)) ? push : undefined).toEqual(push);
    }

    // The two without an agent push: the customer's new chat and their session fields.
    const incoming = webhooks.filter((webhook) => webhook.action === 'incoming_chat');
    expect(incoming).toHaveLength(1);
    expect(incoming[0]!.payload).toMatchObject({ chat: { id: chatId, thread: { id: threadId } } });
    expect(Object.keys(incoming[0]!.payload as object)).toEqual(['chat']);
    const sessionFields = webhooks.filter(
      (webhook) => webhook.action === 'customer_session_fields_updated',
    );
    expect(sessionFields.map((webhook) => webhook.payload)).toEqual([
      {
        id: customerId,
        active_chat: { chat_id: chatId, thread_id: threadId },
        session_fields: [{ plan: 'gold' }],
      },
    ]);
    // Each delivery arrived once.
    const ids = receiver.received
      .filter((webhook) => webhook.body.organization_id === organizationId)
      .map((webhook) => webhook.headers['x-threadline-webhook-id']);
    expect(new Set(ids).size).toBe(ids.length);
    // Every 3.6 action arrived but the one Threadline never pushes, which did not.
    const arrived = new Set(webhooks.map((webhook) => webhook.action));
    expect([...neverPushed].filter((action) => arrived.has(action))).toEqual([]);
    expect([...arrived, ...neverPushed].sort()).toEqual([...actions36].sort());
  }, 180_000);

  it("serve 3.5 and 3.7 registrations their version's actions and payloads", async () => {
    const team = await organization();
    const { organizationId, clientId } = team;
    const credentials = { accountId: team.ann.agent.accountId, personalAccessToken: team.ann.pat };
    const baseUrl = world.platform.gatewayUrls[0]!;
    const legacy = createWebClient({ baseUrl, api: 'configuration', credentials, version: '3.5' });
    const preview = createWebClient({ baseUrl, api: 'configuration', credentials, version: '3.7' });
    const names = async (client: typeof legacy) =>
      ((await client.call('list_webhook_names', {})) as unknown as { action: string }[])
        .map((name) => name.action)
        .sort();
    // 3.7's list is 3.6's; 3.5 adds incoming_customer and lacks event_deleted, thread_summary_set.
    expect(await names(preview)).toEqual([...actions36].sort());
    expect(await names(legacy)).toEqual(
      [
        ...actions36.filter((a) => a !== 'event_deleted' && a !== 'thread_summary_set'),
        'incoming_customer',
      ].sort(),
    );
    const register = async (client: typeof legacy, action: string) =>
      String(
        (
          await client.call('register_webhook', {
            action,
            secret_key: `secret-${client.version}`,
            url: receiver.url,
            owner_client_id: clientId,
            type: 'license',
          })
        ).id,
      );
    await expect(register(legacy, 'thread_summary_set')).rejects.toMatchObject({
      type: 'validation',
    });
    await expect(register(preview, 'incoming_customer')).rejects.toMatchObject({
      type: 'validation',
    });
    const customerHook = await register(legacy, 'incoming_customer');
    const postbackHooks = {
      '3.5': await register(legacy, 'incoming_rich_message_postback'),
      '3.7': await register(preview, 'incoming_rich_message_postback'),
    };
    await preview.call('enable_license_webhooks', { owner_client_id: clientId });

    // A first cookie grant creates the customer: 3.5's incoming_customer.
    const ann = await world.connectAgent(team.ann);
    await ann.request('set_routing_status', { status: 'accepting_chats' });
    const { socket: customer, customerId } = await world.connectCustomer(organizationId, clientId);
    const created = await eventually(() => {
      const [webhook] = webhooksOf(organizationId).filter((w) => w.action === 'incoming_customer');
      expect(webhook).toBeDefined();
      return webhook!;
    }, 30_000);
    expect(created).toMatchObject({
      webhook_id: customerHook,
      secret_key: 'secret-3.5',
      payload: { id: customerId, type: 'customer' },
      additional_data: {},
    });

    // A postback: 3.7 gets the 3.6 payload, 3.5 the one without the button's details.
    const { chatId, threadId, cardId } = await chatWithCard(customer, ann, 'size-m');
    await customer.request('send_rich_message_postback', {
      chat_id: chatId,
      thread_id: threadId,
      event_id: cardId,
      postback: { id: 'size-m', toggled: true, button_type: 'message', button_value: 'size-m' },
    });
    const pushed = await ann.waitForPush('incoming_rich_message_postback', isChat(chatId));
    const postbacks = await eventually(() => {
      const arrived = webhooksOf(organizationId).filter(
        (w) => w.action === 'incoming_rich_message_postback',
      );
      expect(arrived).toHaveLength(2);
      return arrived;
    }, 30_000);
    const byVersion = (version: '3.5' | '3.7') =>
      postbacks.find((w) => w.webhook_id === postbackHooks[version])!.payload as {
        postback: Record<string, unknown>;
      };
    expect(byVersion('3.7')).toEqual(liveChatPayload(pushed.payload));
    expect(byVersion('3.7').postback).toEqual({
      id: 'size-m',
      toggled: true,
      button_type: 'message',
      button_value: 'size-m',
    });
    expect(byVersion('3.5')).toEqual({
      ...byVersion('3.7'),
      postback: { id: 'size-m', toggled: true },
    });
  });
});

describe("a customer's profile across gateways", () => {
  it('is the one their next chat starts with, wherever they renamed themself', async () => {
    const team = await organization();
    const ann = await world.connectAgent(team.ann, 0);
    await ann.request('set_routing_status', { status: 'accepting_chats' });
    const token = await requestCustomerToken(world.gatewayUrls[0]!, {
      grantType: 'cookie',
      clientId: team.clientId,
      organizationId: team.organizationId,
    });
    const onGateway = async (gateway: number) => {
      const socket = await RtmClient.connect({
        baseUrl: world.gatewayUrls[gateway]!,
        api: 'customer',
        organizationId: team.organizationId,
      });
      await socket.request('login', { token: `Bearer ${token.access_token}` });
      return socket;
    };
    const [form, widget] = [await onGateway(0), await onGateway(1)];
    try {
      // A pre-chat form on one gateway, the chat on the other.
      await form.request('update_customer', { name: 'Carla', email: 'carla@hooks.test' });
      await widget.waitForPush('customer_updated', () => true, pushTimeoutMs);
      const started = await widget.request('start_chat', {
        chat: { thread: { events: [{ type: 'message', text: 'Hello' }] } },
      });
      const incoming = await ann.waitForPush(
        'incoming_chat',
        isChat(String(started.chat_id)),
        pushTimeoutMs,
      );
      const { users } = (incoming.payload as { chat: { users: { id: string; name: string }[] } })
        .chat;
      expect(users.find((user) => user.id === token.entity_id)).toMatchObject({
        name: 'Carla',
        email: 'carla@hooks.test',
      });
    } finally {
      await Promise.all([form.close(), widget.close()]);
    }
  });
});
