import { z } from 'zod';
import { defineMethods } from './define.ts';

const ownerClientId = z.string().min(1);

/** Webhook management in the Configuration API (spec §4.4). */
export const webhookMethods = defineMethods({
  register_webhook: {
    owner: 'webhook',
    apis: ['configuration'],
    schema: z.object({
      action: z.string().min(1),
      secret_key: z.string().min(1).max(256),
      url: z.url().max(500),
      owner_client_id: ownerClientId,
      type: z.enum(['license', 'bot']),
      description: z.string().max(500).optional(),
      additional_data: z.array(z.enum(['chat_properties', 'chat_presence_user_ids'])).optional(),
      filters: z.record(z.string(), z.unknown()).optional(),
    }),
  },
  unregister_webhook: {
    owner: 'webhook',
    apis: ['configuration'],
    schema: z.object({ id: z.string().min(1), owner_client_id: ownerClientId }),
  },
  list_webhooks: {
    owner: 'webhook',
    apis: ['configuration'],
    schema: z.object({ owner_client_id: ownerClientId }),
  },
  enable_license_webhooks: {
    owner: 'webhook',
    apis: ['configuration'],
    schema: z.object({ owner_client_id: ownerClientId.optional() }),
  },
  disable_license_webhooks: {
    owner: 'webhook',
    apis: ['configuration'],
    schema: z.object({ owner_client_id: ownerClientId.optional() }),
  },
  get_license_webhooks_state: {
    owner: 'webhook',
    apis: ['configuration'],
    schema: z.object({ owner_client_id: ownerClientId.optional() }),
  },
  list_webhook_names: {
    owner: 'webhook',
    apis: ['configuration'],
    schema: z.object({ version: z.string().optional() }),
  },
});
