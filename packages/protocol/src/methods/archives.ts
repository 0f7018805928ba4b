import { z } from 'zod';
import { defineMethods } from './define.ts';
import {
  agentResponseFilter,
  eventTypesFilter,
  propertiesFilter,
  timestamp,
  valuesFilter,
} from './filters.ts';
import { chatId, pagination } from './shared.ts';

/** Searching past threads (spec §2 `list_archives`, filters §5.6). */
export const archiveMethods = defineMethods({
  list_archives: {
    owner: 'chat-store-query',
    apis: ['agent'],
    schema: z.object({
      filters: z
        .object({
          query: z.string().max(1024).optional(),
          from: timestamp.optional(),
          to: timestamp.optional(),
          chat_ids: z.array(chatId).max(1000).optional(),
          thread_ids: z.array(z.string().min(1).max(64)).max(20).optional(),
          group_ids: z.array(z.number().int().min(0)).max(200).optional(),
          properties: propertiesFilter.optional(),
          agents: valuesFilter.optional(),
          tags: valuesFilter.optional(),
          sales: valuesFilter.optional(),
          goals: valuesFilter.optional(),
          event_types: eventTypesFilter.optional(),
          agent_response: agentResponseFilter.optional(),
          customer_id: z.string().min(1).optional(),
          customer_email: z.string().min(1).optional(),
        })
        // Filters Threadline cannot compute (`forms`, `greetings`, `agent_types`,
        // `customer_countries`) are refused rather than ignored: ignoring one would widen the
        // result without telling the caller.
        .strict()
        .optional(),
      limit: z.number().int().min(1).max(100).optional(),
      highlights: z
        .object({ pre_tag: z.string().max(64).optional(), post_tag: z.string().max(64).optional() })
        .optional(),
      ...pagination,
    }),
  },
});
