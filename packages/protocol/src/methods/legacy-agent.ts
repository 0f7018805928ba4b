import { z } from 'zod';
import { sessionFields } from './customers.ts';
import { defineMethods } from './define.ts';
import { pagination } from './shared.ts';

/**
 * Agent Chat API methods of 3.4/3.5 that 3.6 removed (spec §8). The version deltas
 * (`translation/deltas.ts`) offer them only to those versions.
 */
const textFilter = z.object({
  values: z.array(z.string()).max(100).optional(),
  exclude_values: z.array(z.string()).max(100).optional(),
});
const countRange = z.object({
  lte: z.number().int().optional(),
  lt: z.number().int().optional(),
  gte: z.number().int().optional(),
  gt: z.number().int().optional(),
  eq: z.number().int().optional(),
});
const timeRange = z.object({
  lte: z.iso.datetime({ offset: true }).optional(),
  lt: z.iso.datetime({ offset: true }).optional(),
  gte: z.iso.datetime({ offset: true }).optional(),
  gt: z.iso.datetime({ offset: true }).optional(),
  eq: z.iso.datetime({ offset: true }).optional(),
});
const customerId = z.object({ id: z.string().min(1) });

export const legacyAgentMethods = defineMethods({
  get_license_info: { owner: 'gateway', apis: ['agent'], schema: z.object({}).loose() },
  create_customer: {
    owner: 'gateway',
    apis: ['agent'],
    schema: z.object({
      name: z.string().max(255).optional(),
      email: z.string().max(254).optional(),
      avatar: z.string().max(2048).optional(),
      session_fields: sessionFields.optional(),
    }),
  },
  list_customers: {
    owner: 'gateway',
    apis: ['agent'],
    schema: z.object({
      ...pagination,
      limit: z.number().int().min(1).max(100).optional(),
      filters: z
        .object({
          name: textFilter.optional(),
          email: textFilter.optional(),
          customer_id: textFilter.optional(),
          chats_count: countRange.optional(),
          threads_count: countRange.optional(),
          visits_count: countRange.optional(),
          created_at: timeRange.optional(),
          agent_last_event_created_at: timeRange.optional(),
          customer_last_event_created_at: timeRange.optional(),
        })
        .optional(),
    }),
  },
  follow_customer: { owner: 'gateway', apis: ['agent'], schema: customerId },
  unfollow_customer: { owner: 'gateway', apis: ['agent'], schema: customerId },
  change_push_notifications: {
    owner: 'gateway',
    apis: ['agent'],
    rtmOnly: true,
    schema: z.object({
      firebase_token: z.string().min(1).max(4096),
      platform: z.enum(['ios', 'android']),
      enabled: z.boolean(),
    }),
  },
});
