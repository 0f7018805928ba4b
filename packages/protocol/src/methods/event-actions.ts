import { z } from 'zod';
import { chatApis, defineMethods } from './define.ts';
import { timestamp } from './filters.ts';
import { chatId } from './shared.ts';

const threadId = z.string().min(1).max(64);
const eventId = z.string().min(1).max(128);

/** Acting on stored events: postbacks, deletion and seen state (spec §2, §3). */
export const eventActionMethods = defineMethods({
  send_rich_message_postback: {
    owner: 'chat-store',
    apis: chatApis,
    schema: z.object({
      chat_id: chatId,
      thread_id: threadId,
      event_id: eventId,
      postback: z.object({
        id: z.string().min(1).max(256),
        toggled: z.boolean(),
        button_type: z.string().max(64).optional(),
        button_value: z.string().max(4096).optional(),
        ecommerce: z
          .object({
            product_id: z.string().min(1),
            option_id: z.string().optional(),
            quantity: z.number().int().min(0).optional(),
          })
          .optional(),
      }),
    }),
  },
  delete_event: {
    owner: 'chat-store',
    apis: ['customer'],
    schema: z.object({ chat_id: chatId, thread_id: threadId, event_id: eventId }),
  },
  mark_events_as_seen: {
    owner: 'chat-store',
    apis: chatApis,
    schema: z.object({ chat_id: chatId, seen_up_to: timestamp }),
  },
});
