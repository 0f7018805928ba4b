import { z } from 'zod';
import { chatApis, defineMethods } from './define.ts';
import { chatId, eventSchema } from './shared.ts';

/** Posting and changing events (spec §2 "Events, properties, tags", §3). */
export const eventMethods = defineMethods({
  send_event: {
    owner: 'chat-store',
    apis: chatApis,
    schema: z.object({
      chat_id: chatId,
      event: eventSchema,
      attach_to_last_thread: z.boolean().optional(),
    }),
  },
});
