import { z } from 'zod';
import { defineMethods } from './define.ts';

/**
 * Threadline extension (not LiveChat's): erasing a customer's personal data (GDPR), and the
 * audit of erasures. Owners and administrators only (docs/erasure.md).
 */
export const configurationErasureMethods = defineMethods({
  erase_customer: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({ customer_id: z.string().min(1) }),
  },
  list_customer_erasures: { owner: 'gateway', apis: ['configuration'], schema: z.object({}) },
});
