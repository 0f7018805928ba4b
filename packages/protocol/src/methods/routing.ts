import { z } from 'zod';
import { defineMethods } from './define.ts';

/** Agents' routing statuses (spec §2 "Customers, status, other"). */
export const routingMethods = defineMethods({
  set_routing_status: {
    owner: 'router',
    apis: ['agent'],
    schema: z.object({
      status: z.enum(['accepting_chats', 'not_accepting_chats', 'offline']),
      agent_id: z.string().optional(),
    }),
  },
  list_routing_statuses: {
    owner: 'router',
    apis: ['agent'],
    schema: z.object({
      filters: z.object({ group_ids: z.array(z.number().int().min(0)).optional() }).optional(),
    }),
  },
});
