import { createRequire } from 'node:module';
import type * as LiveChat from '@livechat/lc-sdk-js';
import { createGreeting } from '@threadline/accounts';
import { testInfrastructure } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installBrowserGlobals } from '../src/browser-globals.ts';
import { itCalls, type SdkCall } from '../src/calls.ts';
import { closeLcRtm } from '../src/lc-rtm.ts';
import { type ConformancePlatform, startConformancePlatform } from '../src/platform.ts';
import { redirectLiveChatTls } from '../src/redirect-tls.ts';
import { protocolNow, record, richMessage } from './lc-sdk-js/context.ts';

/**
 * @livechat/customer-sdk 4.0.2 (API 3.5) with @livechat/customer-auth 1.0.0, unmodified, as a
 * widget's customer, chatting with an agent on @livechat/lc-sdk-js 4.0.2 (API 3.4). The customer
 * SDK gets its token from the cookie grant through our XMLHttpRequest, and its socket through our
 * WebSocket; both only redirect LiveChat's hosts to the gateway.
 */

/** The slice of the customer SDK's API these tests use (it ships no types of its own). */
interface CustomerSdk {
  on(event: string, listener: (payload: Record<string, unknown>) => void): void;
  once(event: string, listener: (payload: Record<string, unknown>) => void): void;
  off(event: string, listener: (payload: Record<string, unknown>) => void): void;
  destroy(): void;
  disconnect(): void;
  connect(): void;
  [method: string]: unknown;
}
type Call = (params?: unknown) => Promise<Record<string, unknown>>;

const require = createRequire(import.meta.url);
const pageUrl = new URL('https://shop.example.test/checkout');
let platform: ConformancePlatform;
let restoreGlobals: () => void;
let restoreTls: () => void;
let sdk: CustomerSdk;
let connected: Record<string, unknown>;
let agent: InstanceType<typeof LiveChat.Agent.RTM>;
const agentPushes: { action: string; payload: Record<string, unknown> }[] = [];
const customerEvents: { name: string; payload: Record<string, unknown> }[] = [];
const ctx = { chatId: '', threadId: '', eventId: '', richEventId: '', customerId: '' };
/** The greeting the widget's page matches, and what the SDK made of its `incoming_greeting`. */
let greetingId = 0;
let greeting: Record<string, unknown> | undefined;

function eventId(payload: Record<string, unknown>): unknown {
  return (payload.event as { id?: unknown } | undefined)?.id;
}

function call(method: string, params?: unknown): Promise<Record<string, unknown>> {
  return (sdk[method] as Call)(params);
}

beforeAll(async () => {
  platform = await startConformancePlatform(testInfrastructure(), 'customer-sdk');
  restoreGlobals = installBrowserGlobals({ target: platform.gatewayUrl, pageUrl });
  restoreTls = redirectLiveChatTls(platform.gatewayUrl);

  const lc = require('@livechat/lc-sdk-js') as typeof LiveChat;
  agent = new lc.Agent.RTM();
  await agent.connect();
  for (const action of ['incoming_chat', 'incoming_event', 'incoming_sneak_peek']) {
    agent.on(action as never, (payload) =>
      agentPushes.push({ action, payload: payload as unknown as Record<string, unknown> }),
    );
  }
  await agent.login(`Bearer ${platform.agent.accessToken}`);
  greetingId = (
    await createGreeting(platform.db, {
      organizationId: platform.organizationId,
      authorId: platform.agent.id,
      definition: {
        name: 'Checkout help',
        agent_id: platform.agent.id,
        event: { type: 'message', text: 'Need a hand with your order?' },
        rules: { conditions: [{ type: 'url', operator: 'contains', value: '/checkout' }] },
      },
    })
  ).id;

  const CustomerSDK = require('@livechat/customer-sdk') as {
    init(config: object, env?: string): CustomerSdk;
  };
  sdk = CustomerSDK.init(
    {
      organizationId: platform.organizationId,
      clientId: platform.customerClientId,
      groupId: 0,
      page: { url: pageUrl.href, title: 'Checkout' },
      customerDataProvider: () => ({
        name: 'Wanda Widget',
        email: 'wanda@example.test',
        sessionFields: { plan: 'gold' },
      }),
    },
    'production',
  );
  sdk.on('incoming_greeting', (payload) => {
    greeting = payload;
  });
  for (const name of [
    'incoming_event',
    'incoming_chat',
    'chat_deactivated',
    'customer_id',
    'greeting_accepted',
    'greeting_canceled',
  ]) {
    sdk.on(name, (payload) => customerEvents.push({ name, payload }));
  }
  connected = await new Promise((resolve) => sdk.once('connected', resolve));
});

afterAll(async () => {
  sdk?.destroy();
  closeLcRtm(agent);
  restoreTls?.();
  restoreGlobals?.();
  await platform?.stop();
});

describe('@livechat/customer-sdk 4.0.2 and customer-auth 1.0.0: a widget customer', () => {
  it('gets a cookie-grant token and connects over RTM 3.5, online in its group', () => {
    const customer = record(connected.customer);
    ctx.customerId = String(customer.id);
    expect(ctx.customerId).toMatch(/^[0-9a-f-]{36}$/);
    expect(connected.availability).toBe('online');
    expect(customer).toMatchObject({ name: 'Wanda Widget', email: 'wanda@example.test' });
  });

  it('is greeted on its page before chatting: the SDK parses incoming_greeting', async () => {
    await expect.poll(() => greeting).toBeDefined();
    expect(greeting).toMatchObject({
      id: greetingId,
      uniqueId: expect.any(String),
      displayedFirstTime: true,
      accepted: false,
      subtype: 'greeting',
      event: { type: 'message', text: 'Need a hand with your order?' },
      agent: { id: platform.agent.id, isBot: false },
    });
  });

  it('starts a chat; the promise settles on its incoming_chat, and the agent gets the chat', async () => {
    const started = await call('startChat', {
      chat: { thread: { events: [{ type: 'message', text: 'Is this in stock?' }] } },
    });
    const chat = record(started.chat);
    ctx.chatId = String(chat.id);
    ctx.threadId = String(record(chat.thread).id);
    expect(record(chat.thread).events).toEqual(
      expect.arrayContaining([expect.objectContaining({ text: 'Is this in stock?' })]),
    );
    await expect
      .poll(() =>
        agentPushes.find(
          (push) => (push.payload.chat as { id?: string } | undefined)?.id === ctx.chatId,
        ),
      )
      .toBeDefined();
  });

  it('sends a message; the agent hears it, and the agent answer reaches the widget', async () => {
    const event = await call('sendEvent', {
      chatId: ctx.chatId,
      event: { type: 'message', text: 'The blue one, please' },
    });
    ctx.eventId = String(event.id);
    await expect
      .poll(() => agentPushes.find((push) => eventId(push.payload) === ctx.eventId))
      .toMatchObject({ payload: { chat_id: ctx.chatId } });
    const answer = record(
      await agent.sendEvent(ctx.chatId, {
        type: 'message',
        text: 'In stock, shipping today',
        visibility: 'all',
      } as never),
    );
    const rich = record(await agent.sendEvent(ctx.chatId, richMessage as never));
    ctx.richEventId = String(rich.event_id);
    await expect
      .poll(() =>
        customerEvents.find(
          (event) => event.name === 'incoming_event' && eventId(event.payload) === answer.event_id,
        ),
      )
      .toMatchObject({
        payload: { chatId: ctx.chatId, event: { text: 'In stock, shipping today' } },
      });
  });
});

describe('customer-sdk: every method', () => {
  // The SDK resolves a call with what it parsed from the answer (nothing for `{}`).
  itCalls<CustomerSdk>('customer', customerSdkCalls(), () => sdk, { resultMayBeEmpty: true });
});

function customerSdkCalls(): SdkCall<CustomerSdk>[] {
  const properties = { test: { string_property: 'from the widget' } };
  const names = { test: ['string_property'] };
  const sdkCall = (method: string, params?: () => unknown) => () =>
    call(method, params ? params() : undefined);
  return [
    {
      sdkMethod: 'getCustomer',
      action: 'get_customer',
      run: sdkCall('getCustomer'),
      check: (result) => expect(record(result).id).toBe(ctx.customerId),
    },
    {
      sdkMethod: 'updateCustomer',
      action: 'update_customer',
      run: sdkCall('updateCustomer', () => ({ name: 'Wanda W.', sessionFields: { vip: 'yes' } })),
    },
    {
      sdkMethod: 'setCustomerSessionFields',
      action: 'set_customer_session_fields',
      run: sdkCall('setCustomerSessionFields', () => ({ sessionFields: { cart: '3 items' } })),
    },
    {
      sdkMethod: 'listChats',
      action: 'list_chats',
      run: sdkCall('listChats', () => ({})),
      check: (result) =>
        expect((record(result).chatsSummary as { id: string }[]).map((chat) => chat.id)).toContain(
          ctx.chatId,
        ),
    },
    {
      sdkMethod: 'getChat',
      action: 'get_chat',
      run: sdkCall('getChat', () => ({ chatId: ctx.chatId })),
      check: (result) => expect(record(result).id).toBe(ctx.chatId),
    },
    {
      sdkMethod: 'listThreads',
      action: 'list_threads',
      run: sdkCall('listThreads', () => ({ chatId: ctx.chatId })),
      check: (result) => expect(Array.isArray(record(result).threads)).toBe(true),
    },
    {
      sdkMethod: 'getChatHistory',
      action: 'list_threads',
      run: async () => {
        const history = (sdk.getChatHistory as (params: object) => { next(): Promise<unknown> })({
          chatId: ctx.chatId,
        });
        return record(await history.next());
      },
      check: (result) => expect(record(result)).toHaveProperty('done'),
    },
    {
      sdkMethod: 'markEventsAsSeen',
      action: 'mark_events_as_seen',
      run: sdkCall('markEventsAsSeen', () => ({ chatId: ctx.chatId, seenUpTo: protocolNow() })),
    },
    {
      sdkMethod: 'setSneakPeek',
      action: 'send_sneak_peek',
      run: async () => {
        // Fire and forget in the SDK: the agent's incoming_sneak_peek is the answer.
        (sdk.setSneakPeek as (params: object) => void)({
          chatId: ctx.chatId,
          sneakPeekText: 'Do you ship to…',
        });
        await expect
          .poll(() => agentPushes.find((push) => push.action === 'incoming_sneak_peek'))
          .toBeDefined();
        return {};
      },
    },
    {
      sdkMethod: 'updateChatProperties',
      action: 'update_chat_properties',
      run: sdkCall('updateChatProperties', () => ({ id: ctx.chatId, properties })),
    },
    {
      sdkMethod: 'deleteChatProperties',
      action: 'delete_chat_properties',
      run: sdkCall('deleteChatProperties', () => ({ id: ctx.chatId, properties: names })),
    },
    {
      sdkMethod: 'updateThreadProperties',
      action: 'update_thread_properties',
      run: sdkCall('updateThreadProperties', () => ({
        chatId: ctx.chatId,
        threadId: ctx.threadId,
        properties,
      })),
    },
    {
      sdkMethod: 'deleteThreadProperties',
      action: 'delete_thread_properties',
      run: sdkCall('deleteThreadProperties', () => ({
        chatId: ctx.chatId,
        threadId: ctx.threadId,
        properties: names,
      })),
    },
    {
      sdkMethod: 'updateEventProperties',
      action: 'update_event_properties',
      run: sdkCall('updateEventProperties', () => ({
        chatId: ctx.chatId,
        threadId: ctx.threadId,
        eventId: ctx.eventId,
        properties,
      })),
    },
    {
      sdkMethod: 'deleteEventProperties',
      action: 'delete_event_properties',
      run: sdkCall('deleteEventProperties', () => ({
        chatId: ctx.chatId,
        threadId: ctx.threadId,
        eventId: ctx.eventId,
        properties: names,
      })),
    },
    {
      sdkMethod: 'rateChat',
      action: 'update_thread_properties',
      run: sdkCall('rateChat', () => ({
        chatId: ctx.chatId,
        rating: { score: 1, comment: 'Quick!' },
      })),
    },
    {
      sdkMethod: 'cancelRate',
      action: 'delete_thread_properties',
      run: sdkCall('cancelRate', () => ({ chatId: ctx.chatId, properties: ['score'] })),
    },
    {
      sdkMethod: 'sendRichMessagePostback',
      action: 'send_rich_message_postback',
      run: sdkCall('sendRichMessagePostback', () => ({
        chatId: ctx.chatId,
        threadId: ctx.threadId,
        eventId: ctx.richEventId,
        postback: { id: 'yes', toggled: true },
      })),
    },
    {
      sdkMethod: 'listGroupStatuses',
      action: 'list_group_statuses',
      run: sdkCall('listGroupStatuses', () => ({ groupIds: [0] })),
    },
    {
      sdkMethod: 'getForm',
      action: 'get_form',
      run: sdkCall('getForm', () => ({ groupId: 0, type: 'prechat' })),
    },
    {
      sdkMethod: 'getPredictedAgent',
      action: 'get_predicted_agent',
      run: sdkCall('getPredictedAgent', () => ({ groupId: 0 })),
    },
    {
      sdkMethod: 'getUrlInfo',
      action: 'get_url_info',
      run: sdkCall('getUrlInfo', () => ({ url: 'https://shop.example.test/products/1' })),
    },
    {
      sdkMethod: 'acceptGreeting',
      action: 'accept_greeting',
      run: async () => {
        const uniqueId = greeting?.uniqueId;
        const result = await call('acceptGreeting', { greetingId, uniqueId });
        await expect
          .poll(() => customerEvents.find((event) => event.name === 'greeting_accepted'))
          .toMatchObject({ payload: { uniqueId } });
        return result;
      },
    },
    {
      sdkMethod: 'cancelGreeting',
      action: 'cancel_greeting',
      run: async () => {
        const uniqueId = greeting?.uniqueId;
        const result = await call('cancelGreeting', { uniqueId });
        await expect
          .poll(() => customerEvents.find((event) => event.name === 'greeting_canceled'))
          .toMatchObject({ payload: { uniqueId } });
        return result;
      },
    },
    {
      sdkMethod: 'uploadFile',
      action: 'upload_file',
      run: async () => {
        const upload = (
          sdk.uploadFile as (options: object) => { promise: Promise<Record<string, unknown>> }
        )({ file: new File(['hello'], 'hello.txt', { type: 'text/plain' }) });
        return upload.promise;
      },
      check: (result) => expect(record(result).url).toEqual(expect.any(String)),
    },
    {
      sdkMethod: 'updateCustomerPage',
      action: 'update_customer_page',
      run: async () => {
        (sdk.updateCustomerPage as (page: object) => void)({
          url: 'https://shop.example.test/thanks',
          title: 'Thanks',
        });
        return {};
      },
    },
    {
      sdkMethod: 'deactivateChat',
      action: 'deactivate_chat',
      run: sdkCall('deactivateChat', () => ({ id: ctx.chatId })),
    },
    {
      sdkMethod: 'resumeChat',
      action: 'resume_chat',
      run: sdkCall('resumeChat', () => ({
        chat: { id: ctx.chatId, thread: { events: [{ type: 'message', text: 'One more thing' }] } },
      })),
      check: (result) => expect(record(record(result).chat).id).toBe(ctx.chatId),
    },
  ];
}

describe('customer-sdk: the connection', () => {
  it('disconnects and connects again with the same identity', async () => {
    sdk.disconnect();
    const again = new Promise<Record<string, unknown>>((resolve) => sdk.once('connected', resolve));
    sdk.connect();
    expect(record((await again).customer).id).toBe(ctx.customerId);
  });
});
