import { z } from 'zod';
import { sessionFields } from './customers.ts';
import { defineMethods } from './define.ts';

/**
 * Agent Chat API methods of 3.4/3.5 that 3.6 removed (spec §8). The gateway's version layer
 * offers them only to those versions (`services/gateway/src/application/versions`).
 */
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
});
