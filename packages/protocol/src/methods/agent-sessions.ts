import { z } from 'zod';
import { defineMethods } from './define.ts';

/**
 * An agent's RTM session (spec §1.4, §2): methods about the connection itself, answered by the
 * gateway that holds it; and `multicast`, which reaches other users' connections.
 */
export const agentSessionMethods = defineMethods({
  logout: { owner: 'gateway', apis: ['agent'], rtmOnly: true, schema: z.object({}).loose() },
  set_away_status: {
    owner: 'gateway',
    apis: ['agent'],
    rtmOnly: true,
    schema: z.object({ away: z.boolean() }),
  },
  update_session: {
    owner: 'gateway',
    apis: ['agent'],
    rtmOnly: true,
    schema: z.object({ token: z.string().min(1) }),
  },
  subscribe_customers: {
    owner: 'gateway',
    apis: ['agent'],
    rtmOnly: true,
    schema: z.object({
      group_ids: z.array(z.number().int().min(0)).max(200).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    }),
  },
  unsubscribe_customers: {
    owner: 'gateway',
    apis: ['agent'],
    rtmOnly: true,
    schema: z.object({ subscription_id: z.string().min(1).max(64) }),
  },
  multicast: {
    owner: 'gateway',
    apis: ['agent'],
    schema: z.object({
      recipients: z
        .object({
          agents: z
            .object({
              all: z.boolean().optional(),
              ids: z.array(z.string().min(1)).max(1000).optional(),
              groups: z.array(z.number().int().min(0)).max(200).optional(),
            })
            .optional(),
          customers: z.object({ ids: z.array(z.string().min(1)).max(1000) }).optional(),
        })
        .refine(
          (value) =>
            value.customers !== undefined ||
            value.agents?.all === true ||
            value.agents?.ids !== undefined ||
            value.agents?.groups !== undefined,
          { message: 'at least one recipient is required' },
        ),
      content: z.unknown().refine((value) => value !== undefined, 'content is required'),
      type: z.string().max(256).optional(),
    }),
  },
});
