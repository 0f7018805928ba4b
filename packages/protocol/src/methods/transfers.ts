import { z } from 'zod';
import { defineMethods } from './define.ts';
import { chatId } from './shared.ts';

/** Handing a chat to other agents or another group (spec §2 "Chats, access, users"). */
export const transferMethods = defineMethods({
  // The gateway asks the router whether the target can take the chat, then chat-store transfers.
  transfer_chat: {
    owner: 'gateway',
    apis: ['agent'],
    schema: z.object({
      id: chatId,
      // Absent: the chat's current groups (LiveChat re-queues it there).
      target: z
        .object({
          type: z.enum(['group', 'agent']),
          ids: z
            .array(z.union([z.string().min(1), z.number().int().min(0)]))
            .min(1)
            .max(100),
        })
        .optional(),
      ignore_agents_availability: z.boolean().optional(),
      ignore_requester_presence: z.boolean().optional(),
    }),
  },
  list_agents_for_transfer: {
    owner: 'gateway',
    apis: ['agent'],
    schema: z.object({ chat_id: chatId }),
  },
});
