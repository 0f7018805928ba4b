import type { Agent } from '@livechat/lc-sdk-js';
import { expect } from 'vitest';
import type { SdkCall } from '../../src/calls.ts';
import { type ChatContext, expectArrayField, protocolNow, record, richMessage } from './context.ts';
import { propertyCalls } from './property-calls.ts';

/** What Agent.RTM and Agent.Web of lc-sdk-js 4.0.2 have in common: the Agent Chat API. */
export type AgentClient = InstanceType<typeof Agent.RTM> | InstanceType<typeof Agent.Web>;

type Event = Parameters<AgentClient['sendEvent']>[1];

/**
 * Every Agent Chat API method of lc-sdk-js 4.0.2 (API 3.4), in an order where each call finds
 * what it needs: the customer's chat first, then chats the agent makes for the rest.
 */
export function agentCalls(ctx: ChatContext): SdkCall<AgentClient>[] {
  return [
    {
      sdkMethod: 'setRoutingStatus',
      action: 'set_routing_status',
      run: (sdk) => sdk.setRoutingStatus('accepting_chats' as never),
    },
    {
      sdkMethod: 'listRoutingStatuses',
      action: 'list_routing_statuses',
      run: (sdk) => sdk.listRoutingStatuses(),
      check: (result) =>
        expect(result).toEqual(
          expect.arrayContaining([{ agent_id: ctx.agentId, status: 'accepting_chats' }]),
        ),
    },
    {
      sdkMethod: 'listChats',
      action: 'list_chats',
      run: (sdk) => sdk.listChats({ filters: { include_active: true } } as never),
      check: (result) => {
        const chats = expectArrayField(result, 'chats_summary') as { id: string }[];
        expect(chats.map((chat) => chat.id)).toContain(ctx.chatId);
      },
    },
    {
      sdkMethod: 'getChat',
      action: 'get_chat',
      run: (sdk) => sdk.getChat(ctx.chatId),
      check: (result) => {
        const chat = record(result) as { id: string; thread: { id: string }; users: unknown[] };
        expect(chat.id).toBe(ctx.chatId);
        ctx.threadId = chat.thread.id;
        expect(chat.users.length).toBeGreaterThanOrEqual(2);
      },
    },
    {
      sdkMethod: 'listThreads',
      action: 'list_threads',
      run: (sdk) => sdk.listThreads(ctx.chatId),
      check: (result) => expect(expectArrayField(result, 'threads').length).toBeGreaterThan(0),
    },
    {
      sdkMethod: 'listArchives',
      action: 'list_archives',
      run: (sdk) => sdk.listArchives(),
      check: (result) => expectArrayField(result, 'chats'),
    },
    {
      sdkMethod: 'sendEvent',
      action: 'send_event',
      run: (sdk) =>
        sdk.sendEvent(ctx.chatId, {
          type: 'message',
          text: 'Hello from lc-sdk-js',
          visibility: 'all',
        } as unknown as Event),
      check: (result) => {
        ctx.eventId = String(record(result).event_id);
        expect(ctx.eventId).toMatch(/\S/);
      },
    },
    {
      sdkMethod: 'sendEvent (rich message)',
      action: 'send_event',
      run: (sdk) => sdk.sendEvent(ctx.chatId, richMessage as unknown as Event),
      check: (result) => {
        ctx.richEventId = String(record(result).event_id);
      },
    },
    {
      sdkMethod: 'sendRichMessagePostback',
      action: 'send_rich_message_postback',
      run: (sdk) =>
        sdk.sendRichMessagePostback({
          chat_id: ctx.chatId,
          thread_id: ctx.threadId,
          event_id: ctx.richEventId,
          postback: { id: 'yes', toggled: true },
        }),
    },
    {
      sdkMethod: 'sendTypingIndicator',
      action: 'send_typing_indicator',
      run: (sdk) => sdk.sendTypingIndicator(ctx.chatId, true, 'all'),
    },
    {
      sdkMethod: 'markEventsAsSeen',
      action: 'mark_events_as_seen',
      run: (sdk) => sdk.markEventsAsSeen(ctx.chatId, protocolNow()),
    },
    ...propertyCalls(ctx),
    {
      sdkMethod: 'tagThread',
      action: 'tag_thread',
      run: (sdk) => sdk.tagThread(ctx.chatId, ctx.threadId, ctx.tag),
    },
    {
      sdkMethod: 'untagThread',
      action: 'untag_thread',
      run: (sdk) => sdk.untagThread(ctx.chatId, ctx.threadId, ctx.tag),
    },
    {
      sdkMethod: 'getCustomer',
      action: 'get_customer',
      run: (sdk) => sdk.getCustomer(ctx.customerId),
      check: (result) => expect(record(result).id).toBe(ctx.customerId),
    },
    {
      sdkMethod: 'updateCustomer',
      action: 'update_customer',
      run: (sdk) => sdk.updateCustomer(ctx.customerId, { name: 'Cleo Customer' }),
    },
    {
      sdkMethod: 'listCustomers',
      action: 'list_customers',
      run: (sdk) => sdk.listCustomers(),
      check: (result) => expect(expectArrayField(result, 'customers').length).toBeGreaterThan(0),
    },
    {
      sdkMethod: 'createCustomer',
      action: 'create_customer',
      run: (sdk) => sdk.createCustomer({ name: 'Made by an agent' }),
      check: (result) => {
        ctx.createdCustomerId = String(record(result).customer_id);
      },
    },
    {
      sdkMethod: 'banCustomer',
      action: 'ban_customer',
      run: (sdk) => sdk.banCustomer(ctx.createdCustomerId || ctx.otherCustomerId, 1),
    },
    {
      sdkMethod: 'multicast',
      action: 'multicast',
      run: (sdk) =>
        sdk.multicast({ agents: { ids: [ctx.otherAgentId] } } as never, { hello: 'agents' }, 'sdk'),
    },
    {
      sdkMethod: 'listAgentsForTransfer',
      action: 'list_agents_for_transfer',
      run: (sdk) => sdk.listAgentsForTransfer(ctx.chatId),
      check: (result) => expect(Array.isArray(result)).toBe(true),
    },
    {
      sdkMethod: 'followChat',
      action: 'follow_chat',
      run: (sdk) => sdk.followChat(ctx.sideChatId),
    },
    {
      sdkMethod: 'unfollowChat',
      action: 'unfollow_chat',
      run: (sdk) => sdk.unfollowChat(ctx.sideChatId),
    },
    {
      sdkMethod: 'followCustomer',
      action: 'follow_customer',
      run: (sdk) => sdk.followCustomer(ctx.customerId),
    },
    {
      sdkMethod: 'unfollowCustomer',
      action: 'unfollow_customer',
      run: (sdk) => sdk.unfollowCustomer(ctx.customerId),
    },
    {
      sdkMethod: 'startChat',
      action: 'start_chat',
      run: (sdk) =>
        sdk.startChat({
          chat: {
            users: [{ id: ctx.otherCustomerId, type: 'customer' }],
            thread: { events: [{ type: 'message', text: 'Agent here', visibility: 'all' }] },
          },
          continuous: true,
        } as never),
      check: (result) => {
        ctx.agentChatId = String(record(result).chat_id);
        expect(record(result).thread_id).toEqual(expect.any(String));
      },
    },
    {
      sdkMethod: 'addUserToChat',
      action: 'add_user_to_chat',
      run: (sdk) => sdk.addUserToChat(ctx.agentChatId, ctx.otherAgentId, 'agent', 'all'),
    },
    {
      sdkMethod: 'removeUserFromChat',
      action: 'remove_user_from_chat',
      run: (sdk) => sdk.removeUserFromChat(ctx.agentChatId, ctx.otherAgentId),
    },
    {
      sdkMethod: 'transferChat',
      action: 'transfer_chat',
      run: (sdk) =>
        sdk.transferChat(ctx.agentChatId, {
          target: { type: 'group', ids: [0] },
          ignore_agents_availability: true,
        } as never),
    },
    {
      sdkMethod: 'deactivateChat',
      action: 'deactivate_chat',
      run: (sdk) => sdk.deactivateChat(ctx.chatId),
    },
    {
      sdkMethod: 'resumeChat',
      action: 'resume_chat',
      run: (sdk) => sdk.resumeChat(ctx.chatId),
      check: (result) => {
        ctx.threadId = String(record(result).thread_id);
      },
    },
  ];
}
