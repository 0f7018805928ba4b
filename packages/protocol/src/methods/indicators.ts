import { z } from 'zod';
import { chatApis, defineMethods } from './define.ts';
import { chatId, visibility } from './shared.ts';

/** What users see of each other before an event is sent; nothing here is stored (spec §2, §3). */
export const indicatorMethods = defineMethods({
  send_typing_indicator: {
    owner: 'chat-store',
    apis: chatApis,
    schema: z.object({
      chat_id: chatId,
      is_typing: z.boolean(),
      visibility: visibility.optional(),
    }),
  },
  send_thinking_indicator: {
    owner: 'chat-store',
    apis: ['agent'],
    schema: z.object({
      chat_id: chatId,
      title: z.string().max(256).optional(),
      description: z.string().max(1024).optional(),
      visibility: visibility.optional(),
      custom_id: z.string().max(256).optional(),
    }),
  },
  send_sneak_peek: {
    owner: 'chat-store',
    apis: ['customer'],
    // Empty text is allowed: a widget clears the peek when the customer empties the input.
    schema: z.object({ chat_id: chatId, sneak_peek_text: z.string().max(16_384) }),
  },
  send_event_preview: {
    owner: 'chat-store',
    apis: ['agent'],
    schema: z.object({
      chat_id: chatId,
      event: z.object({
        type: z.literal('message'),
        text: z.string().min(1).max(16_384),
        custom_id: z.string().max(256).optional(),
        visibility: z.literal('all').optional(),
      }),
    }),
  },
});
