import { z } from 'zod';
import { sessionFields } from './customers.ts';
import { defineMethods } from './define.ts';

/**
 * GET methods take their parameters from the query string, where every value is text: numbers
 * and booleans are read from it (POSTed JSON numbers pass as they are).
 */
const groupId = z.coerce.number().int().min(0);
const flag = z.preprocess(
  (value) => (value === 'true' ? true : value === 'false' ? false : value),
  z.boolean(),
);

/** What the chat widget asks before and around a chat (spec §3): configuration, forms, greetings. */
export const widgetMethods = defineMethods({
  get_dynamic_configuration: {
    owner: 'gateway',
    apis: ['customer'],
    schema: z.object({
      group_id: groupId.optional(),
      url: z.string().max(2048).optional(),
      channel_type: z.string().max(64).optional(),
      test: flag.optional(),
    }),
  },
  get_configuration: {
    owner: 'gateway',
    apis: ['customer'],
    schema: z.object({ group_id: groupId, version: z.string().min(1).max(64) }),
  },
  get_localization: {
    owner: 'gateway',
    apis: ['customer'],
    schema: z.object({
      group_id: groupId,
      language: z.string().min(2).max(16),
      version: z.string().min(1).max(64),
    }),
  },
  get_form: {
    owner: 'gateway',
    apis: ['customer'],
    schema: z.object({ group_id: groupId, type: z.enum(['prechat', 'postchat']) }),
  },
  list_group_statuses: {
    owner: 'gateway',
    apis: ['customer'],
    schema: z
      .object({
        all: z.boolean().optional(),
        group_ids: z.array(z.number().int().min(0)).max(200).optional(),
      })
      .refine((value) => value.all === true || value.group_ids !== undefined, {
        message: 'all:true or group_ids is required',
      }),
  },
  // Also the Configuration API's (`list_group_properties` is its 3.4 name; 3.6 lists several
  // groups with `list_groups_properties`): the same values, with a token there.
  list_license_properties: {
    owner: 'gateway',
    apis: ['customer', 'configuration'],
    schema: z.object({
      namespace: z.string().max(128).optional(),
      name: z.string().max(128).optional(),
      name_prefix: z.string().max(128).optional(),
    }),
  },
  list_group_properties: {
    owner: 'gateway',
    apis: ['customer', 'configuration'],
    schema: z.object({
      id: groupId,
      namespace: z.string().max(128).optional(),
      name: z.string().max(128).optional(),
      name_prefix: z.string().max(128).optional(),
    }),
  },
  check_goals: {
    owner: 'gateway',
    apis: ['customer'],
    schema: z.object({
      session_fields: sessionFields,
      group_id: z.number().int().min(0),
      page_url: z.string().max(2048),
    }),
  },
  get_url_info: {
    owner: 'gateway',
    apis: ['customer'],
    schema: z.object({ url: z.url().max(2048) }),
  },
  request_email_verification: {
    owner: 'gateway',
    apis: ['customer'],
    schema: z.object({ callback_uri: z.url().max(2048) }),
  },
  get_predicted_agent: {
    owner: 'gateway',
    apis: ['customer'],
    schema: z.object({ group_id: z.number().int().min(0).optional() }),
  },
  request_welcome_message: {
    owner: 'gateway',
    apis: ['customer'],
    schema: z.object({
      id: z.string().max(128).optional(),
      group_id: z.number().int().min(0).optional(),
    }),
  },
  accept_greeting: {
    owner: 'gateway',
    apis: ['customer'],
    schema: z.object({ greeting_id: z.number().int(), unique_id: z.string().min(1).max(128) }),
  },
  cancel_greeting: {
    owner: 'gateway',
    apis: ['customer'],
    schema: z.object({ unique_id: z.string().min(1).max(128) }),
  },
  send_greeting_button_clicked: {
    owner: 'gateway',
    apis: ['customer'],
    schema: z.object({
      greeting_unique_id: z.string().min(1).max(128),
      button_id: z.string().min(1).max(128),
    }),
  },
});
