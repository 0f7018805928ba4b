import { z } from 'zod';
import { chatApis, defineMethods } from './define.ts';
import { propertyValue } from './filters.ts';
import { chatId } from './shared.ts';

/** Properties to set: `{"<namespace>": {"<name>": value}}`. */
const propertiesUpdate = z.record(z.string().min(1), z.record(z.string().min(1), propertyValue));
/** Properties to delete: `{"<namespace>": ["<name>", …]}`. */
const propertiesDeletion = z.record(z.string().min(1), z.array(z.string().min(1)).max(100));
const eventId = z.string().min(1).max(128);
const threadId = z.string().min(1).max(64);

/** Chat, thread and event properties (spec §2 "Events, properties, tags"; same on both APIs). */
export const chatPropertyMethods = defineMethods({
  update_chat_properties: {
    owner: 'chat-store',
    apis: chatApis,
    schema: z.object({ id: chatId, properties: propertiesUpdate }),
  },
  delete_chat_properties: {
    owner: 'chat-store',
    apis: chatApis,
    schema: z.object({ id: chatId, properties: propertiesDeletion }),
  },
  update_thread_properties: {
    owner: 'chat-store',
    apis: chatApis,
    schema: z.object({ chat_id: chatId, thread_id: threadId, properties: propertiesUpdate }),
  },
  delete_thread_properties: {
    owner: 'chat-store',
    apis: chatApis,
    schema: z.object({ chat_id: chatId, thread_id: threadId, properties: propertiesDeletion }),
  },
  update_event_properties: {
    owner: 'chat-store',
    apis: chatApis,
    schema: z.object({
      chat_id: chatId,
      thread_id: threadId,
      event_id: eventId,
      properties: propertiesUpdate,
    }),
  },
  delete_event_properties: {
    owner: 'chat-store',
    apis: chatApis,
    schema: z.object({
      chat_id: chatId,
      thread_id: threadId,
      event_id: eventId,
      properties: propertiesDeletion,
    }),
  },
});
