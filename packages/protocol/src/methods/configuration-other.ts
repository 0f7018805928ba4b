import { z } from 'zod';
import { agentId } from './configuration-shared.ts';
import { defineMethods } from './define.ts';

const detail = z.string().max(255).optional();

/**
 * Configuration API "Other" (LiveChat Configuration API 3.6): channels, plans, the product's
 * activation source, the company.
 */
export const configurationOtherMethods = defineMethods({
  list_channels: { owner: 'gateway', apis: ['configuration'], schema: z.object({}) },
  get_product_source: { owner: 'gateway', apis: ['configuration'], schema: z.object({}) },
  check_product_limits_for_plan: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({ plan: z.enum(['starter', 'team', 'enterprise', 'enterpriseplus']) }),
  },
  reactivate_email: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({ agent_id: agentId }),
  },
  update_company_details: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({
      enrich: z.boolean().optional(),
      audience: detail,
      chat_purpose: detail,
      city: detail,
      company: detail,
      company_size: detail,
      country: detail,
      invoice_email: detail,
      invoice_name: detail,
      nip: detail,
      postal_code: detail,
      state: detail,
      street: detail,
      phone: detail,
      province: detail,
      url: z.string().max(2048).optional(),
    }),
  },
});
