import type { Customer } from '@livechat/lc-sdk-js';
import { expect } from 'vitest';
import type { SdkCall } from '../../src/calls.ts';
import { type ChatContext, expectArrayField, protocolNow, record } from './context.ts';
import { propertyCalls } from './property-calls.ts';

type CustomerRtm = InstanceType<typeof Customer.RTM>;
type CustomerWeb = InstanceType<typeof Customer.Web>;
/** What Customer.RTM and Customer.Web of lc-sdk-js 4.0.2 have in common. */
export type CustomerClient = CustomerRtm | CustomerWeb;

type Event = Parameters<CustomerClient['sendEvent']>[1];

/** Every Customer Chat API method both transports of lc-sdk-js 4.0.2 offer (API 3.4). */
export function customerCalls(ctx: ChatContext): SdkCall<CustomerClient>[] {
  return [
    {
      sdkMethod: 'getCustomer',
      action: 'get_customer',
      run: (sdk) => sdk.getCustomer(),
      check: (result) => expect(record(result).id).toBe(ctx.customerId),
    },
    {
      sdkMethod: 'updateCustomer',
      action: 'update_customer',
      run: (sdk) => sdk.updateCustomer({ name: 'Cleo', email: 'cleo@example.test' }),
    },
    {
      sdkMethod: 'setCustomerSessionFields',
      action: 'set_customer_session_fields',
      run: (sdk) => sdk.setCustomerSessionFields([{ plan: 'gold' }]),
    },
    {
      sdkMethod: 'listChats',
      action: 'list_chats',
      run: (sdk) => sdk.listChats(),
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
        const chat = record(result) as { id: string; thread: { id: string } };
        expect(chat.id).toBe(ctx.chatId);
        ctx.threadId = chat.thread.id;
      },
    },
    {
      sdkMethod: 'listThreads',
      action: 'list_threads',
      run: (sdk) => sdk.listThreads(ctx.chatId),
      check: (result) => expectArrayField(result, 'threads'),
    },
    {
      sdkMethod: 'sendEvent',
      action: 'send_event',
      run: (sdk) => sdk.sendEvent(ctx.chatId, { type: 'message', text: 'Customer here' } as Event),
      check: (result) => {
        ctx.eventId = String(record(result).event_id);
      },
    },
    {
      sdkMethod: 'sendSneakPeek',
      action: 'send_sneak_peek',
      run: (sdk) => sdk.sendSneakPeek(ctx.chatId, 'I am typing'),
    },
    {
      sdkMethod: 'markEventsAsSeen',
      action: 'mark_events_as_seen',
      run: (sdk) => sdk.markEventsAsSeen(ctx.chatId, protocolNow()),
    },
    ...propertyCalls(ctx),
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
      // The agent's rich message lives in the thread the agent suite last saw; a resumed chat
      // has moved on, and a postback to an old thread is refused the LiveChat way.
      errors: ['chat_inactive', 'not_found'],
    },
    {
      sdkMethod: 'listLicenseProperties',
      action: 'list_license_properties',
      run: (sdk) => sdk.listLicenseProperties(),
    },
    {
      sdkMethod: 'listGroupProperties',
      action: 'list_group_properties',
      run: (sdk) => sdk.listGroupProperties(0),
    },
    {
      sdkMethod: 'listGroupStatuses',
      action: 'list_group_statuses',
      run: (sdk) => sdk.listGroupStatuses(true),
      check: (result) => expect(record(record(result).groups_status)).toHaveProperty('0'),
    },
    {
      sdkMethod: 'checkGoals',
      action: 'check_goals',
      run: (sdk) => sdk.checkGoals([{ plan: 'gold' }], 0, 'https://shop.example.test' as never),
    },
    {
      sdkMethod: 'getForm',
      action: 'get_form',
      run: (sdk) => sdk.getForm(0, 'prechat'),
      check: (result) => expect(record(result)).toHaveProperty('enabled'),
    },
    {
      sdkMethod: 'getPredictedAgent',
      action: 'get_predicted_agent',
      run: (sdk) => sdk.getPredictedAgent(),
    },
    {
      sdkMethod: 'getURLInfo',
      action: 'get_url_info',
      run: (sdk) => sdk.getURLInfo('https://shop.example.test/products/1'),
    },
    {
      sdkMethod: 'acceptGreeting',
      action: 'accept_greeting',
      run: (sdk) => sdk.acceptGreeting(1, 'no-such-greeting'),
      errors: ['greeting_not_found'],
    },
    {
      sdkMethod: 'cancelGreeting',
      action: 'cancel_greeting',
      run: (sdk) => sdk.cancelGreeting('no-such-greeting'),
      errors: ['greeting_not_found'],
    },
    {
      sdkMethod: 'deactivateChat',
      action: 'deactivate_chat',
      run: (sdk) => sdk.deactivateChat(ctx.chatId),
    },
    {
      sdkMethod: 'resumeChat',
      action: 'resume_chat',
      run: (sdk) =>
        sdk.resumeChat({
          chat: { id: ctx.chatId, thread: { events: [{ type: 'message', text: 'Back again' }] } },
        } as never),
      check: (result) => expect(record(result).thread_id).toEqual(expect.any(String)),
    },
    {
      sdkMethod: 'startChat',
      action: 'start_chat',
      // Messaging Mode: a continuous chat does not count against one chat per customer.
      run: (sdk) =>
        sdk.startChat({
          chat: { thread: { events: [{ type: 'message', text: 'Another question' }] } },
          continuous: true,
        } as never),
      check: (result) => expect(record(result).chat_id).toEqual(expect.any(String)),
    },
  ];
}

/** The Customer Chat API methods lc-sdk-js offers on the Web API only. */
export function customerWebCalls(ctx: ChatContext): SdkCall<CustomerWeb>[] {
  let configVersion = '';
  return [
    {
      sdkMethod: 'getDynamicConfiguration',
      action: 'get_dynamic_configuration',
      run: (sdk) => sdk.getDynamicConfiguration({ group_id: 0 } as never),
      check: (result) => {
        // 3.4 is flat (like 3.5): no `livechat` object.
        expect(record(result).organization_id).toBe(ctx.organizationId);
        configVersion = String(record(result).config_version ?? '');
      },
    },
    {
      sdkMethod: 'getConfiguration',
      action: 'get_configuration',
      run: (sdk) => sdk.getConfiguration(0 as never, configVersion),
    },
    {
      sdkMethod: 'getLocalization',
      action: 'get_localization',
      run: (sdk) => sdk.getLocalization(0 as never, 'en', configVersion),
    },
    {
      sdkMethod: 'requestEmailVerification',
      action: 'request_email_verification',
      run: (sdk) => sdk.requestEmailVerification('https://shop.example.test/verified'),
    },
    {
      sdkMethod: 'uploadFile',
      action: 'upload_file',
      sdkDefect: 'lc-sdk-js 4.0.2 builds the upload URL without a scheme and sends no token',
      run: (sdk) => sdk.uploadFile(Buffer.from('hello'), 'hello.txt'),
    },
  ];
}
