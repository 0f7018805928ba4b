import { z } from 'zod';
import { groupIds } from './configuration-shared.ts';
import { defineMethods } from './define.ts';

const matchObject = z.object({
  value: z.string().min(1).max(2048),
  exact_match: z.boolean().optional(),
});
const matchCondition = z
  .object({
    values: z.array(matchObject).min(1).max(100).optional(),
    exclude_values: z.array(matchObject).min(1).max(100).optional(),
  })
  .refine(
    (condition) => (condition.values === undefined) !== (condition.exclude_values === undefined),
    'values or exclude_values, exactly one',
  );
const place = z
  .object({
    country: z.string().max(128).optional(),
    country_code: z.string().max(8).optional(),
    region: z.string().max(128).optional(),
    city: z.string().max(128).optional(),
  })
  .refine((fields) => Object.values(fields).some((value) => value !== undefined), 'name a place');
const conditions = z
  .object({
    url: matchCondition.optional(),
    domain: matchCondition.optional(),
    geolocation: z.object({ values: z.array(place).min(1).max(100) }).optional(),
  })
  .refine(
    (value) => value.url || value.domain || value.geolocation,
    'conditions need url, domain or geolocation',
  );
const access = z.object({ groups: groupIds.min(1) });
const ruleId = z.string().min(1).max(64);

/**
 * Configuration API: auto access rules, customer bans, and the license / organization id lookups
 * (LiveChat Configuration API 3.6 "Auto access", "Customer bans", "Other").
 */
export const configurationAccessMethods = defineMethods({
  add_auto_access: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({
      access,
      conditions,
      description: z.string().max(512).optional(),
      next_id: z.string().max(64).optional(),
    }),
  },
  list_auto_accesses: { owner: 'gateway', apis: ['configuration'], schema: z.object({}) },
  update_auto_access: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({
      id: ruleId,
      access: access.optional(),
      conditions: conditions.optional(),
      description: z.string().max(512).optional(),
      // "" moves the rule to the end of the list; absent leaves it where it is.
      next_id: z.string().max(64).optional(),
    }),
  },
  delete_auto_access: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({ id: ruleId }),
  },
  list_customer_bans: { owner: 'gateway', apis: ['configuration'], schema: z.object({}) },
  unban_customer: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z
      .object({
        ip: z.string().min(1).max(64).optional(),
        customer_id: z.string().min(1).max(64).optional(),
      })
      .refine((value) => (value.ip === undefined) !== (value.customer_id === undefined), {
        message: 'exactly one of ip and customer_id is required',
      }),
  },
  // GET methods without a token (3.4+): the query string carries the id as text.
  get_license_id: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({ organization_id: z.string().min(1).max(64) }),
  },
  get_organization_id: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({ license_id: z.coerce.number().int().min(1) }),
  },
});
