import type { Command } from './command.ts';
import { type OptionValues, optionalInteger, optionalString, requiredString } from './options.ts';
import type { Services } from './services.ts';

/**
 * The webhook delivery log for operators: the webhook service's `list_webhook_deliveries`,
 * `redeliver_webhook_delivery` and `replay_webhooks`, for any owner of the organization's
 * webhooks. Errors are the service's (`not_found`, `validation`).
 */
export const webhooksDeliveries: Command = {
  name: 'webhooks deliveries',
  usage:
    'webhooks deliveries --organization ID --webhook ID [--status pending|delivered|dead] [--from TIME] [--to TIME] [--limit N] [--page PAGE_ID] [--payload]',
  options: {
    organization: { type: 'string' },
    webhook: { type: 'string' },
    status: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    limit: { type: 'string' },
    page: { type: 'string' },
    payload: { type: 'boolean' },
  },
  async run(_db, values, services) {
    const request = {
      webhook_id: requiredString(values, 'webhook'),
      status: optionalString(values, 'status'),
      ...timeRange(values),
      limit: optionalInteger(values, 'limit'),
      page_id: optionalString(values, 'page'),
      include_payload: values.payload === true ? true : undefined,
    };
    return webhooksOf(services, values, 'list_webhook_deliveries', request);
  },
};

export const webhooksRedeliver: Command = {
  name: 'webhooks redeliver',
  usage: 'webhooks redeliver --organization ID DELIVERY_ID',
  options: { organization: { type: 'string' } },
  positionals: ['delivery-id'],
  async run(_db, values, services) {
    const deliveryId = requiredString(values, 'delivery-id');
    await webhooksOf(services, values, 'redeliver_webhook_delivery', { delivery_id: deliveryId });
    return { delivery_id: deliveryId, redelivered: true };
  },
};

export const webhooksReplay: Command = {
  name: 'webhooks replay',
  usage: 'webhooks replay --organization ID --webhook ID --from TIME [--to TIME]',
  options: {
    organization: { type: 'string' },
    webhook: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
  },
  async run(_db, values, services) {
    requiredString(values, 'from');
    const request = { webhook_id: requiredString(values, 'webhook'), ...timeRange(values) };
    return webhooksOf(services, values, 'replay_webhooks', request);
  },
};

function timeRange(values: OptionValues) {
  return { from: optionalString(values, 'from'), to: optionalString(values, 'to') };
}

async function webhooksOf(
  services: Services,
  values: OptionValues,
  action: string,
  request: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  // JSON drops the options that were not given.
  const payload = JSON.parse(JSON.stringify(request)) as object;
  const reply = await services.webhooks(requiredString(values, 'organization'), action, payload);
  return reply as Record<string, unknown>;
}
