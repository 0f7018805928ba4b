import { z } from 'zod';
import { defineMethods } from './define.ts';

const ownerClientId = z.string().min(1);
const rfc3339 = z.iso.datetime({ offset: true });

/**
 * The delivery log methods are Threadline's, not LiveChat's. The gateway always sends
 * `owner_client_id` (checked against the caller's organization); only internal callers (the
 * operator CLI) may leave it out to act on any webhook of the organization.
 */
const deliveryLogOwner = ownerClientId.optional();

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
  list_webhook_deliveries: {
    owner: 'webhook',
    apis: ['configuration'],
    schema: z.object({
      webhook_id: z.string().min(1),
      owner_client_id: deliveryLogOwner,
      status: z.enum(['pending', 'delivered', 'dead']).optional(),
      from: rfc3339.optional(),
      to: rfc3339.optional(),
      include_payload: z.boolean().optional(),
      limit: z.number().int().min(1).max(100).optional(),
      page_id: z.string().min(1).optional(),
    }),
  },
  redeliver_webhook_delivery: {
    owner: 'webhook',
    apis: ['configuration'],
    schema: z.object({ delivery_id: z.string().min(1), owner_client_id: deliveryLogOwner }),
  },
  replay_webhooks: {
    owner: 'webhook',
    apis: ['configuration'],
    schema: z.object({
      webhook_id: z.string().min(1),
      owner_client_id: deliveryLogOwner,
      from: rfc3339,
      to: rfc3339.optional(),
    }),
  },
  list_webhook_names: {
    owner: 'webhook',
    apis: ['configuration'],
    schema: z.object({ version: z.string().optional() }),
  },
});
