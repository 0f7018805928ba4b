import { z } from 'zod';
import { defineMethods } from './define.ts';
import { chatId } from './shared.ts';

const threadId = z.string().min(1).max(64);

/** Tagging and summarizing threads (spec §2). Whether a tag exists is checked by the gateway. */
export const threadActionMethods = defineMethods({
  tag_thread: {
    owner: 'chat-store',
    apis: ['agent'],
    schema: z.object({ chat_id: chatId, thread_id: threadId, tag: z.string().min(1).max(256) }),
  },
  untag_thread: {
    owner: 'chat-store',
    apis: ['agent'],
    schema: z.object({ chat_id: chatId, thread_id: threadId, tag: z.string().min(1).max(256) }),
  },
  request_thread_summary: {
    owner: 'chat-store',
    apis: ['agent'],
    schema: z.object({ chat_id: chatId, thread_id: threadId }),
  },
});
