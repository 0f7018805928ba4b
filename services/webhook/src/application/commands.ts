import type { CommandHandler } from '@threadline/bus';
import type { Command } from '@threadline/contracts';
import { findApiVersion, ProtocolError, parsePayload, stableVersion } from '@threadline/protocol';
import {
  describeRegistration,
  prepareRegistration,
  registrationsPerActionLimit,
} from '../domain/registration.ts';
import { webhookActions } from '../domain/webhook-actions.ts';
import { createDeliveryLogMethods } from './delivery-log-commands.ts';
import type { CheckWebhookUrl, DeliveryLog, RegistrationStore } from './ports.ts';
import { type Method, organizationOf, requireRoleFor } from './requester.ts';

/**
 * The Configuration API's webhook methods (spec §4.4). Everything is scoped to the requester's
 * organization; the gateway has already checked that `owner_client_id` belongs to it.
 */
export function createCommandHandler(deps: {
  store: RegistrationStore;
  deliveryLog: DeliveryLog;
  newId: () => string;
  /** Refuses URLs whose host is private, loopback, … unless the operator allowed its network. */
  checkUrl: CheckWebhookUrl;
}): CommandHandler {
  const { store } = deps;
  const setLicenseWebhooks =
    (enabled: boolean): Method =>
    async (payload, command) => {
      const request = parsePayload('enable_license_webhooks', payload);
      const owner = requireOwner(request.owner_client_id);
      await store.setLicenseWebhooksEnabled(organizationOf(command), owner, enabled);
      return {};
    };
  const methods: Record<string, Method> = {
    register_webhook: async (payload, command) => {
      const registration = prepareRegistration(parsePayload('register_webhook', payload), {
        id: deps.newId(),
        organizationId: organizationOf(command),
        apiVersion: command.apiVersion || stableVersion,
      });
      const refusal = await deps.checkUrl(registration.url);
      if (refusal) throw new ProtocolError('validation', `Webhook url is not allowed: ${refusal}`);
      const result = await store.register(registration, registrationsPerActionLimit);
      if (result === 'limit_reached') {
        throw new ProtocolError(
          'limit_reached',
          `Cannot register more than ${registrationsPerActionLimit} webhooks for ${registration.action}`,
        );
      }
      return { id: registration.id };
    },
    list_webhooks: async (payload, command) => {
      const request = parsePayload('list_webhooks', payload);
      const registrations = await store.list(organizationOf(command), request.owner_client_id);
      return registrations.map(describeRegistration);
    },
    unregister_webhook: async (payload, command) => {
      const { id, owner_client_id } = parsePayload('unregister_webhook', payload);
      const removed = await store.unregister(organizationOf(command), owner_client_id, id);
      if (!removed) throw new ProtocolError('not_found', 'Webhook not found');
      return {};
    },
    enable_license_webhooks: setLicenseWebhooks(true),
    disable_license_webhooks: setLicenseWebhooks(false),
    get_license_webhooks_state: async (payload, command) => {
      const request = parsePayload('get_license_webhooks_state', payload);
      const owner = requireOwner(request.owner_client_id);
      return {
        license_webhooks_enabled: await store.isLicenseWebhooksEnabled(
          organizationOf(command),
          owner,
        ),
      };
    },
    list_webhook_names: async (payload, command) => {
      const request = parsePayload('list_webhook_names', payload);
      return listWebhookNames(request.version || command.apiVersion || stableVersion);
    },
    ...createDeliveryLogMethods(deps.deliveryLog),
  };
  return async (command: Command) => {
    const method = Object.hasOwn(methods, command.action) ? methods[command.action] : undefined;
    if (!method) throw new ProtocolError('not_found', `Unknown method: ${command.action}`);
    requireRoleFor(command);
    return method(parseJson(command.payloadJson), command);
  };
}

/** `[{action, filters, additional_data?}]` for an API version (3.4 to 3.7). */
export function listWebhookNames(version: string): Record<string, unknown>[] {
  if (!findApiVersion(version)) {
    throw new ProtocolError('validation', `Unsupported version: ${version}`);
  }
  return webhookActions(version).map((action) => ({
    action: action.action,
    filters: [...action.filters],
    ...(action.additionalData.length ? { additional_data: [...action.additionalData] } : {}),
  }));
}

function parseJson(text: string): unknown {
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ProtocolError('validation', 'Wrong format of request: payload is not JSON');
  }
}

/** The gateway fills owner_client_id from a bearer token's client; a PAT must name it. */
function requireOwner(ownerClientId: string | undefined): string {
  if (!ownerClientId) throw new ProtocolError('validation', 'owner_client_id is required');
  return ownerClientId;
}
