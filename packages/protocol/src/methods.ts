import { z } from 'zod';

/**
 * Request payload schemas, one per protocol method, shared by every transport. Unknown fields are
 * allowed (LiveChat ignores them and SDKs send extras), wrong types and missing fields are not.
 */
const properties = z.record(z.string(), z.record(z.string(), z.unknown()));
const access = z.object({ group_ids: z.array(z.number().int().min(0)).max(200) });
const visibility = z.enum(['all', 'agents']);
const chatId = z.string().min(1).max(64);

const eventBase = {
  custom_id: z.string().max(256).optional(),
  visibility: visibility.optional(),
  properties: properties.optional(),
};

const messageEvent = z.object({
  ...eventBase,
  type: z.literal('message'),
  text: z.string().min(1).max(16_384),
  postback: z
    .object({
      id: z.string(),
      thread_id: z.string(),
      event_id: z.string(),
      type: z.string().optional(),
      value: z.string().optional(),
    })
    .optional(),
});
const systemMessageEvent = z.object({
  ...eventBase,
  type: z.literal('system_message'),
  system_message_type: z.string().min(1).max(256),
  text: z.string().max(16_384).optional(),
  text_vars: z.record(z.string(), z.string()).optional(),
  recipients: z.enum(['all', 'agents']).optional(),
});
const fileEvent = z.object({
  ...eventBase,
  type: z.literal('file'),
  url: z.url(),
  alternative_text: z.string().max(1024).optional(),
});
const richMessageEvent = z.object({
  ...eventBase,
  type: z.literal('rich_message'),
  template_id: z.enum(['cards', 'sticker', 'quick_replies', 'ecommerce']),
  elements: z.array(z.record(z.string(), z.unknown())).max(10).optional(),
});
const formField = z.object({ id: z.string(), type: z.string(), label: z.string() }).loose();
const filledFormEvent = z.object({
  ...eventBase,
  type: z.literal('filled_form'),
  form_id: z.string().optional(),
  fields: z.array(formField).min(1).max(100),
});
const formEvent = z.object({
  ...eventBase,
  type: z.literal('form'),
  form_id: z.string(),
  fields: z.array(formField).max(100),
});
const customEvent = z.object({
  ...eventBase,
  type: z.literal('custom'),
  content: z.record(z.string(), z.unknown()).optional(),
});

export const eventSchema = z.discriminatedUnion('type', [
  messageEvent,
  systemMessageEvent,
  fileEvent,
  richMessageEvent,
  filledFormEvent,
  formEvent,
  customEvent,
]);
export type EventRequest = z.infer<typeof eventSchema>;

const threadRequest = z.object({
  events: z.array(eventSchema).max(100).optional(),
  properties: properties.optional(),
});

const chatUserRef = z.object({ id: z.string().min(1), type: z.enum(['agent', 'customer']) });

const pagination = {
  sort_order: z.enum(['asc', 'desc']).optional(),
  page_id: z.string().optional(),
};

const pushFilter = z.record(z.string(), z.array(z.string()));

export const methodSchemas = {
  login: z.object({
    token: z.string().min(1),
    timezone: z.string().optional(),
    reconnect: z.boolean().optional(),
    application: z.object({ name: z.string(), version: z.string() }).loose().optional(),
    away: z.boolean().optional(),
    customer_monitoring_level: z.string().optional(),
    pushes: pushFilter.optional(),
    customer: z.record(z.string(), z.unknown()).optional(),
    customer_page: z.object({ url: z.string(), title: z.string().optional() }).optional(),
    customer_side_storage: z.record(z.string(), z.unknown()).optional(),
    is_mobile: z.boolean().optional(),
    group_id: z.number().int().min(0).optional(),
    referrer: z.string().optional(),
  }),
  ping: z.object({}).loose(),
  start_chat: z.object({
    chat: z
      .object({
        properties: properties.optional(),
        access: access.optional(),
        users: z.array(chatUserRef).max(5).optional(),
        thread: threadRequest.optional(),
      })
      .optional(),
    active: z.boolean().optional(),
    continuous: z.boolean().optional(),
  }),
  resume_chat: z.object({
    chat: z.object({
      id: chatId,
      properties: properties.optional(),
      access: access.optional(),
      users: z.array(chatUserRef).max(5).optional(),
      thread: threadRequest.optional(),
    }),
    active: z.boolean().optional(),
    continuous: z.boolean().optional(),
  }),
  deactivate_chat: z.object({ id: chatId, ignore_requester_presence: z.boolean().optional() }),
  send_event: z.object({
    chat_id: chatId,
    event: eventSchema,
    attach_to_last_thread: z.boolean().optional(),
  }),
  get_chat: z.object({ chat_id: chatId, thread_id: z.string().optional() }),
  list_chats: z.object({
    filters: z
      .object({
        active: z.boolean().nullable().optional(),
        include_chats_without_threads: z.boolean().optional(),
        group_ids: z.array(z.number().int().min(0)).max(200).optional(),
      })
      .optional(),
    limit: z.number().int().min(1).max(100).optional(),
    ...pagination,
  }),
  list_threads: z.object({
    chat_id: chatId,
    limit: z.number().int().min(1).max(100).optional(),
    min_events_count: z.number().int().min(1).max(100).optional(),
    filters: z.object({ from: z.string().optional(), to: z.string().optional() }).optional(),
    ...pagination,
  }),
  set_routing_status: z.object({
    status: z.enum(['accepting_chats', 'not_accepting_chats', 'offline']),
    agent_id: z.string().optional(),
  }),
  list_routing_statuses: z.object({
    filters: z.object({ group_ids: z.array(z.number().int().min(0)).optional() }).optional(),
  }),
  register_webhook: z.object({
    action: z.string().min(1),
    secret_key: z.string().min(1).max(256),
    url: z.url().max(500),
    owner_client_id: z.string().min(1),
    type: z.enum(['license', 'bot']),
    description: z.string().max(500).optional(),
    additional_data: z.array(z.enum(['chat_properties', 'chat_presence_user_ids'])).optional(),
    filters: z.record(z.string(), z.unknown()).optional(),
  }),
  unregister_webhook: z.object({ id: z.string().min(1), owner_client_id: z.string().min(1) }),
  list_webhooks: z.object({ owner_client_id: z.string().min(1) }),
  enable_license_webhooks: z.object({ owner_client_id: z.string().min(1).optional() }),
  disable_license_webhooks: z.object({ owner_client_id: z.string().min(1).optional() }),
  get_license_webhooks_state: z.object({ owner_client_id: z.string().min(1).optional() }),
  list_webhook_names: z.object({ version: z.string().optional() }),
} as const;

export type MethodName = keyof typeof methodSchemas;
export type MethodPayload<M extends MethodName> = z.infer<(typeof methodSchemas)[M]>;
