import { createRequire } from 'node:module';
import type * as LiveChat from '@livechat/lc-sdk-js';
import { testInfrastructure } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itCalls, type SdkCall } from '../src/calls.ts';
import { closeLcRtm } from '../src/lc-rtm.ts';
import { type ConformancePlatform, startConformancePlatform } from '../src/platform.ts';
import { redirectLiveChatTls } from '../src/redirect-tls.ts';
import { type AgentClient, agentCalls } from './lc-sdk-js/agent-calls.ts';
import { configurationCalls } from './lc-sdk-js/configuration-calls.ts';
import { type ChatContext, emptyContext, record } from './lc-sdk-js/context.ts';
import {
  type CustomerClient,
  customerCalls,
  customerWebCalls,
} from './lc-sdk-js/customer-calls.ts';

/**
 * @livechat/lc-sdk-js 4.0.2 (API 3.4, unmodified) as agent, customer and administrator: a customer
 * and an agent chat through the router, then every method of every API the SDK offers is called,
 * over RTM and over the Web API. Only the TLS connections to LiveChat's hosts are redirected.
 */
const require = createRequire(import.meta.url);
let platform: ConformancePlatform;
let restoreTls: () => void;
let lc: typeof LiveChat;
const ctx: ChatContext = emptyContext();
let agentRtm: InstanceType<typeof LiveChat.Agent.RTM>;
let agentWeb: InstanceType<typeof LiveChat.Agent.Web>;
let customerRtm: InstanceType<typeof LiveChat.Customer.RTM>;
let customerWeb: InstanceType<typeof LiveChat.Customer.Web>;
let configuration: InstanceType<typeof LiveChat.Configuration.Web>;
let agentLogin: Record<string, unknown>;
const agentPushes: { action: string; payload: Record<string, unknown> }[] = [];
const customerPushes: { action: string; payload: Record<string, unknown> }[] = [];
const sockets: object[] = [];

function tokenGetter(accessToken: string) {
  return () => ({ accessToken, region: 'dal', organizationID: ctx.organizationId });
}

/** lc-sdk-js allows one handler per push; each records what it hears. */
function recordPushes(
  rtm: InstanceType<typeof LiveChat.Agent.RTM | typeof LiveChat.Customer.RTM>,
  into: typeof agentPushes,
  actions: string[],
) {
  for (const action of actions) {
    rtm.on(action as never, (payload) =>
      into.push({ action, payload: payload as unknown as Record<string, unknown> }),
    );
  }
}

beforeAll(async () => {
  platform = await startConformancePlatform(testInfrastructure(), 'lc-sdk-js');
  restoreTls = redirectLiveChatTls(platform.gatewayUrl);
  lc = require('@livechat/lc-sdk-js') as typeof LiveChat;
  Object.assign(ctx, {
    organizationId: platform.organizationId,
    clientId: platform.customerClientId,
    agentId: platform.agent.id,
    otherAgentId: platform.otherAgent.id,
  });

  agentRtm = new lc.Agent.RTM();
  sockets.push(agentRtm);
  await agentRtm.connect();
  recordPushes(agentRtm, agentPushes, ['incoming_chat', 'incoming_event', 'user_added_to_chat']);
  agentLogin = record(await agentRtm.login(`Bearer ${platform.agent.accessToken}`));
  agentWeb = new lc.Agent.Web(ctx.clientId, tokenGetter(platform.agent.accessToken));
  configuration = new lc.Configuration.Web(ctx.clientId, tokenGetter(platform.agent.accessToken));

  const customer = await platform.newCustomer('Cleo');
  ctx.customerId = customer.id;
  customerRtm = new lc.Customer.RTM(ctx.organizationId);
  sockets.push(customerRtm);
  await customerRtm.connect();
  recordPushes(customerRtm, customerPushes, ['incoming_chat', 'incoming_event']);
  await customerRtm.login(`Bearer ${customer.accessToken}`);
  customerWeb = new lc.Customer.Web(ctx.clientId, tokenGetter(customer.accessToken));

  ctx.otherCustomerId = (await platform.newCustomer('Olga')).id;
  const bystander = await platform.newCustomer('Bea');
  const bystanderWeb = new lc.Customer.Web(ctx.clientId, tokenGetter(bystander.accessToken));
  const side = record(
    await bystanderWeb.startChat({
      chat: { thread: { events: [{ type: 'message', text: 'Just looking' }] } },
      active: false,
    } as never),
  );
  ctx.sideChatId = String(side.chat_id);
  // Tags are configuration: made through the Configuration API where it has create_tag.
  await fetch(new URL('/v3.6/configuration/action/create_tag', platform.gatewayUrl), {
    method: 'POST',
    headers: {
      authorization: `Bearer ${platform.agent.accessToken}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ name: ctx.tag, group_ids: [0] }),
  }).catch(() => undefined);
});

afterAll(async () => {
  for (const rtm of sockets) closeLcRtm(rtm);
  restoreTls?.();
  await platform?.stop();
});

describe('@livechat/lc-sdk-js 4.0.2: a customer and an agent chat', () => {
  it('logs the agent in over RTM 3.4 with a bearer token', () => {
    expect(agentLogin).toMatchObject({
      license: { organization_id: ctx.organizationId },
      my_profile: { id: ctx.agentId, routing_status: 'accepting_chats' },
    });
    expect(Array.isArray(agentLogin.chats_summary)).toBe(true);
  });

  it('starts a chat for the customer; the router gives it to the agent, who hears incoming_chat', async () => {
    const started = record(
      await customerRtm.startChat({
        chat: { thread: { events: [{ type: 'message', text: 'Hello, I need help' }] } },
      } as never),
    );
    ctx.chatId = String(started.chat_id);
    expect(started.thread_id).toEqual(expect.any(String));
    await expect
      .poll(() =>
        agentPushes.find(
          (push) =>
            push.action === 'incoming_chat' &&
            (push.payload.chat as { id?: string } | undefined)?.id === ctx.chatId,
        ),
      )
      .toBeDefined();
    const chat = record(await agentWeb.getChat(ctx.chatId));
    expect((chat.users as { id: string }[]).map((user) => user.id)).toEqual(
      expect.arrayContaining([ctx.agentId, ctx.customerId]),
    );
  });

  it("delivers the agent's message to the customer as incoming_event", async () => {
    const sent = record(
      await agentRtm.sendEvent(ctx.chatId, {
        type: 'message',
        text: 'How can I help?',
        visibility: 'all',
      } as never),
    );
    await expect
      .poll(() =>
        customerPushes.find(
          (push) =>
            push.action === 'incoming_event' &&
            (push.payload.event as { id?: string } | undefined)?.id === sent.event_id,
        ),
      )
      .toMatchObject({ payload: { chat_id: ctx.chatId, event: { text: 'How can I help?' } } });
  });
});

describe('Agent.RTM: every Agent Chat API method', () => {
  itCalls<AgentClient>('agent', agentCalls(ctx), () => agentRtm);
  itCalls('agent', agentRtmOnlyCalls(), () => agentRtm);
});

describe('Agent.Web: every Agent Chat API method', () => {
  itCalls<AgentClient>('agent', agentCalls(ctx), () => agentWeb);
  itCalls('agent', agentWebOnlyCalls(), () => agentWeb);
});

describe('Customer.RTM: every Customer Chat API method', () => {
  itCalls<CustomerClient>('customer', customerCalls(ctx), () => customerRtm);
});

describe('Customer.Web: every Customer Chat API method', () => {
  itCalls<CustomerClient>('customer', customerCalls(ctx), () => customerWeb);
  itCalls('customer', customerWebCalls(ctx), () => customerWeb);
});

describe('Configuration.Web: every Configuration API method', () => {
  itCalls('configuration', configurationCalls(ctx), () => configuration);
});

describe('Agent.RTM session methods', () => {
  itCalls(
    'agent',
    [
      {
        sdkMethod: 'changePushNotifications',
        action: 'change_push_notifications',
        run: (sdk) =>
          sdk.changePushNotifications({
            firebase_token: 'conformance-device',
            platform: 'android',
            enabled: true,
          }),
      },
      {
        sdkMethod: 'logout',
        action: 'logout',
        run: async (sdk) => {
          const result = await sdk.logout();
          closeLcRtm(sdk);
          return result;
        },
      },
    ] satisfies SdkCall<typeof agentRtm>[],
    () => agentRtm,
  );
});

function agentRtmOnlyCalls(): SdkCall<typeof agentRtm>[] {
  return [
    {
      sdkMethod: 'setAwayStatus',
      action: 'set_away_status',
      run: (sdk) => sdk.setAwayStatus(false),
    },
  ];
}

function agentWebOnlyCalls(): SdkCall<typeof agentWeb>[] {
  return [
    {
      sdkMethod: 'uploadFile',
      action: 'upload_file',
      sdkDefect: 'lc-sdk-js 4.0.2 builds the upload URL without a scheme and sends no token',
      run: (sdk) => sdk.uploadFile(Buffer.from('hello'), 'hello.txt'),
    },
  ];
}
