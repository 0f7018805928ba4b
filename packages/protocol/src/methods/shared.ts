import { z } from 'zod';

/**
 * Building blocks of request payload schemas shared by several methods. Unknown fields are allowed
 * (LiveChat ignores them and SDKs send extras), wrong types and missing fields are not.
 */
export const properties = z.record(z.string(), z.record(z.string(), z.unknown()));
export const access = z.object({ group_ids: z.array(z.number().int().min(0)).max(200) });
export const visibility = z.enum(['all', 'agents']);
export const chatId = z.string().min(1).max(64);

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
  // Filled in by the gateway from the uploaded file (clients' own values are not trusted).
  name: z.string().max(1024).optional(),
  content_type: z.string().max(256).optional(),
  size: z.number().int().min(0).optional(),
  width: z.number().int().min(0).optional(),
  height: z.number().int().min(0).optional(),
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

export const threadRequest = z.object({
  events: z.array(eventSchema).max(100).optional(),
  properties: properties.optional(),
});

export const chatUserRef = z.object({ id: z.string().min(1), type: z.enum(['agent', 'customer']) });

export const pagination = {
  sort_order: z.enum(['asc', 'desc']).optional(),
  page_id: z.string().optional(),
};

export const pushFilter = z.record(z.string(), z.array(z.string()));
