import type { Command } from '@threadline/contracts';
import { ProtocolError, pageOf, parsePayload } from '@threadline/protocol';
import {
  checkTimeRange,
  describeDelivery,
  replayLimit,
  resolveDeliveriesPage,
} from '../domain/delivery-log.ts';
import type { DeliveryLog, WebhookScope } from './ports.ts';
import { type Method, organizationOf } from './requester.ts';

/**
 * Threadline's delivery log methods (not LiveChat's): what happened to a webhook's deliveries, and
 * sending them again under the same delivery ids. Receivers that drop duplicates by
 * X-Threadline-Webhook-Id must let a redelivery through themselves if they want it processed.
 */
export function createDeliveryLogMethods(log: DeliveryLog): Record<string, Method> {
  return {
    list_webhook_deliveries: async (payload, command) => {
      const request = parsePayload('list_webhook_deliveries', payload);
      const page = resolveDeliveriesPage(request);
      await requireWebhook(log, scopeOf(command, request.owner_client_id), request.webhook_id);
      const rows = await log.listDeliveries(page, page.limit + 1);
      const { items, ...pageIds } = pageOf(rows, page, (row) => [row.createdAt, row.id]);
      return {
        deliveries: items.map((row) => describeDelivery(row, page.filters.includePayload)),
        ...pageIds,
      };
    },
    redeliver_webhook_delivery: async (payload, command) => {
      const request = parsePayload('redeliver_webhook_delivery', payload);
      const scope = scopeOf(command, request.owner_client_id);
      if (!(await log.redeliver(scope, request.delivery_id))) {
        throw new ProtocolError('not_found', 'Delivery not found');
      }
      return {};
    },
    replay_webhooks: async (payload, command) => {
      const { webhook_id, owner_client_id, from, to } = parsePayload('replay_webhooks', payload);
      const range = checkTimeRange({ from, to });
      const scope = scopeOf(command, owner_client_id);
      await requireWebhook(log, scope, webhook_id);
      const { replayed, nextFrom } = await log.replay(scope, webhook_id, range, replayLimit);
      return { replayed, ...(nextFrom ? { next_from: nextFrom } : {}) };
    },
  };
}

/**
 * The gateway always names the owner (checked against the caller's organization). Only a service
 * or the operator CLI (a `system` requester) may leave it out to reach any owner's webhooks.
 */
function scopeOf(command: Command, ownerClientId: string | undefined): WebhookScope {
  if (!ownerClientId && command.requester?.userType !== 'system') {
    throw new ProtocolError('validation', 'owner_client_id is required');
  }
  return { organizationId: organizationOf(command), ownerClientId };
}

async function requireWebhook(log: DeliveryLog, scope: WebhookScope, webhookId: string) {
  if (!(await log.hasWebhook(scope, webhookId))) {
    throw new ProtocolError('not_found', 'Webhook not found');
  }
}
