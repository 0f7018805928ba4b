import { z } from 'zod';
import { chatApis, defineMethods } from './define.ts';
import { propertiesFilter } from './filters.ts';
import { access, chatId, chatUserRef, pagination, properties, threadRequest } from './shared.ts';

/** Starting, resuming, closing and reading chats (spec §2 "Chats, access, users", §3). */
export const chatMethods = defineMethods({
  start_chat: {
    owner: 'chat-store',
    apis: chatApis,
    schema: z.object({
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
  },
  resume_chat: {
    owner: 'chat-store',
    apis: chatApis,
    schema: z.object({
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
  },
  deactivate_chat: {
    owner: 'chat-store',
    apis: chatApis,
    schema: z.object({ id: chatId, ignore_requester_presence: z.boolean().optional() }),
  },
  get_chat: {
    owner: 'chat-store-query',
    apis: chatApis,
    schema: z.object({ chat_id: chatId, thread_id: z.string().optional() }),
  },
  list_chats: {
    owner: 'chat-store-query',
    apis: chatApis,
    schema: z.object({
      filters: z
        .object({
          active: z.boolean().nullable().optional(),
          include_chats_without_threads: z.boolean().optional(),
          group_ids: z.array(z.number().int().min(0)).max(200).optional(),
          properties: propertiesFilter.optional(),
        })
        .optional(),
      limit: z.number().int().min(1).max(100).optional(),
      ...pagination,
    }),
  },
  list_threads: {
    owner: 'chat-store-query',
    apis: chatApis,
    schema: z.object({
      chat_id: chatId,
      limit: z.number().int().min(1).max(100).optional(),
      min_events_count: z.number().int().min(1).max(100).optional(),
      filters: z.object({ from: z.string().optional(), to: z.string().optional() }).optional(),
      ...pagination,
    }),
  },
});
