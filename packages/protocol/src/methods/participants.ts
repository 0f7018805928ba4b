import { z } from 'zod';
import { defineMethods } from './define.ts';
import { chatId, visibility } from './shared.ts';

/** Who takes part in or watches a chat (spec §2 "Chats, access, users"). */
export const participantMethods = defineMethods({
  add_user_to_chat: {
    owner: 'chat-store',
    apis: ['agent'],
    schema: z.object({
      chat_id: chatId,
      user_id: z.string().min(1).max(256),
      user_type: z.enum(['agent', 'customer']),
      visibility,
      ignore_requester_presence: z.boolean().optional(),
    }),
  },
  remove_user_from_chat: {
    owner: 'chat-store',
    apis: ['agent'],
    schema: z.object({
      chat_id: chatId,
      user_id: z.string().min(1).max(256),
      // LiveChat removes agents only; a customer is refused with a message saying so.
      user_type: z.enum(['agent', 'customer']),
      ignore_requester_presence: z.boolean().optional(),
    }),
  },
  follow_chat: { owner: 'chat-store', apis: ['agent'], schema: z.object({ id: chatId }) },
  unfollow_chat: { owner: 'chat-store', apis: ['agent'], schema: z.object({ id: chatId }) },
});
