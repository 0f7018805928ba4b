import { z } from 'zod';
import { chatApis, defineMethods } from './define.ts';

/** LiveChat's session fields: a list of single-key objects, `[{"plan":"gold"}]`, ≤100 keys (spec §1.5). */
export const sessionFields = z
  .array(z.record(z.string().max(256), z.string().max(1024)))
  .max(100, 'at most 100 session fields');

const address = z
  .object({
    address: z.string().max(512).optional(),
    city: z.string().max(256).optional(),
    country: z.string().max(256).optional(),
    state: z.string().max(256).optional(),
    postal_code: z.string().max(64).optional(),
  })
  .loose();

/**
 * Customers as agents and customers see them (spec §2 "Customers", §3). `id` is required of
 * agents only (a customer always means itself); the gateway checks that per API.
 */
export const customerMethods = defineMethods({
  get_customer: {
    owner: 'gateway',
    apis: chatApis,
    schema: z.object({ id: z.string().min(1).max(64).optional() }),
  },
  update_customer: {
    owner: 'gateway',
    apis: chatApis,
    schema: z.object({
      id: z.string().min(1).max(64).optional(),
      name: z.string().max(255).optional(),
      email: z.string().max(254).optional(),
      avatar: z.string().max(2048).optional(),
      phone_number: z.string().max(32).optional(),
      session_fields: sessionFields.optional(),
      omnichannel: z.record(z.string(), z.unknown()).optional(),
      address: address.optional(),
      name_is_default: z.boolean().optional(),
    }),
  },
  set_customer_session_fields: {
    owner: 'gateway',
    apis: ['customer'],
    schema: z.object({ session_fields: sessionFields }),
  },
  update_customer_page: {
    owner: 'gateway',
    apis: ['customer'],
    rtmOnly: true,
    schema: z.object({ url: z.string().min(1).max(2048), title: z.string().max(1024).optional() }),
  },
  ban_customer: {
    owner: 'gateway',
    apis: ['agent'],
    schema: z.object({
      id: z.string().min(1).max(64),
      ban: z.object({ days: z.number().int().min(1).max(36_500) }),
    }),
  },
});
