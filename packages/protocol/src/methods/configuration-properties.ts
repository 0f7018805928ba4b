import { z } from 'zod';
import { groupId, groupIds, ownerClientId } from './configuration-shared.ts';
import { defineMethods } from './define.ts';

const propertyName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, ".", "_" and "-" only');
const accessTypes = z
  .array(z.enum(['read', 'write']))
  .min(1)
  .max(2);
const locationAccess = z
  .object({ agent: accessTypes.optional(), customer: accessTypes.optional() })
  .refine((users) => users.agent || users.customer, 'name agent or customer access');
/** `{"<namespace>":{"<name>":value}}` */
const values = z.record(z.string().min(1).max(64), z.record(propertyName, z.unknown()));
/** `{"<namespace>":["<name>",…]}` */
const names = z.record(z.string().min(1).max(64), z.array(propertyName).max(200));

/** Configuration API: properties (LiveChat Configuration API 3.6 "Properties"). */
export const configurationPropertyMethods = defineMethods({
  register_property: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({
      name: propertyName,
      owner_client_id: ownerClientId.optional(),
      type: z.enum(['int', 'bool', 'string', 'tokenized_string']),
      access: z
        .partialRecord(z.enum(['chat', 'thread', 'event', 'license', 'group']), locationAccess)
        .refine((locations) => Object.keys(locations).length > 0, 'name at least one location'),
      description: z.string().max(512).optional(),
      domain: z.array(z.unknown()).min(1).max(100).optional(),
      range: z
        .object({ from: z.number().int().optional(), to: z.number().int().optional() })
        .optional(),
      default_value: z.unknown().optional(),
    }),
  },
  unregister_property: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({ name: propertyName, owner_client_id: ownerClientId.optional() }),
  },
  publish_property: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({
      name: propertyName,
      owner_client_id: ownerClientId.optional(),
      access_type: accessTypes,
    }),
  },
  list_properties: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({ owner_client_id: ownerClientId.optional() }),
  },
  update_license_properties: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({ properties: values }),
  },
  delete_license_properties: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({ properties: names }),
  },
  update_group_properties: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({ group_id: groupId, properties: values }),
  },
  list_groups_properties: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({
      group_ids: groupIds,
      namespace: z.string().max(64).optional(),
      name_prefix: z.string().max(64).optional(),
    }),
  },
  delete_group_properties: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({ id: groupId, properties: names }),
  },
});
