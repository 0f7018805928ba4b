import type { SdkCall } from '../../src/calls.ts';
import type { AgentClient } from './agent-calls.ts';
import { type ChatContext, testProperties, testPropertyNames } from './context.ts';
import type { CustomerClient } from './customer-calls.ts';

/**
 * The six chat, thread and event property methods, the same for agents and customers in
 * lc-sdk-js (one namespace, `test`, is writable by everyone).
 */
export function propertyCalls<Client extends AgentClient | CustomerClient>(
  ctx: ChatContext,
): SdkCall<Client>[] {
  const names = testPropertyNames as never;
  return [
    {
      sdkMethod: 'updateChatProperties',
      action: 'update_chat_properties',
      run: (sdk) => sdk.updateChatProperties(ctx.chatId, testProperties),
    },
    {
      sdkMethod: 'deleteChatProperties',
      action: 'delete_chat_properties',
      run: (sdk) => sdk.deleteChatProperties(ctx.chatId, names),
    },
    {
      sdkMethod: 'updateThreadProperties',
      action: 'update_thread_properties',
      run: (sdk) => sdk.updateThreadProperties(ctx.chatId, ctx.threadId, testProperties),
    },
    {
      sdkMethod: 'deleteThreadProperties',
      action: 'delete_thread_properties',
      run: (sdk) => sdk.deleteThreadProperties(ctx.chatId, ctx.threadId, names),
    },
    {
      sdkMethod: 'updateEventProperties',
      action: 'update_event_properties',
      run: (sdk) =>
        sdk.updateEventProperties(ctx.chatId, ctx.threadId, ctx.eventId, testProperties),
    },
    {
      sdkMethod: 'deleteEventProperties',
      action: 'delete_event_properties',
      run: (sdk) => sdk.deleteEventProperties(ctx.chatId, ctx.threadId, ctx.eventId, names),
    },
  ];
}
