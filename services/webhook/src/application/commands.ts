import type { CommandHandler } from '@threadline/bus';
import type { Command } from '@threadline/contracts';
import { findApiVersion, ProtocolError, parsePayload, stableVersion } from '@threadline/protocol';
import {
  describeRegistration,
  prepareRegistration,
  registrationsPerActionLimit,
} from '../domain/registration.ts';
import { webhookActions } from '../domain/webhook-actions.ts';
import type { RegistrationStore } from './ports.ts';

/**
 * The Configuration API's webhook methods (spec §4.4). Everything is scoped to the requester's
 * organization; the gateway has already checked that `owner_client_id` belongs to it.
 */
export function createCommandHandler(deps: {
  store: RegistrationStore;
  newId: () => string;
}): CommandHandler {
  const { store } = deps;
  return async (command: Command) => {
    const payload = parseJson(command.payloadJson);
    switch (command.action) {
      case 'register_webhook': {
        const request = parsePayload('register_webhook', payload);
        const registration = prepareRegistration(request, {
          id: deps.newId(),
          organizationId: organizationOf(command),
          apiVersion: command.apiVersion || stableVersion,
        });
        const result = await store.register(registration, registrationsPerActionLimit);
        if (result === 'limit_reached') {
          throw new ProtocolError(
            'limit_reached',
            `Cannot register more than ${registrationsPerActionLimit} webhooks for ${registration.action}`,
          );
        }
        return { id: registration.id };
      }
      case 'list_webhooks': {
        const request = parsePayload('list_webhooks', payload);
        const registrations = await store.list(organizationOf(command), request.owner_client_id);
        return registrations.map(describeRegistration);
      }
      case 'unregister_webhook': {
        const request = parsePayload('unregister_webhook', payload);
        const removed = await store.unregister(
          organizationOf(command),
          request.owner_client_id,
          request.id,
        );
        if (!removed) throw new ProtocolError('not_found', 'Webhook not found');
        return {};
      }
      case 'enable_license_webhooks':
      case 'disable_license_webhooks': {
        const request = parsePayload(command.action, payload);
        await store.setLicenseWebhooksEnabled(
          organizationOf(command),
          requireOwner(request.owner_client_id),
          command.action === 'enable_license_webhooks',
        );
        return {};
      }
      case 'get_license_webhooks_state': {
        const request = parsePayload('get_license_webhooks_state', payload);
        const enabled = await store.isLicenseWebhooksEnabled(
          organizationOf(command),
          requireOwner(request.owner_client_id),
        );
        return { license_webhooks_enabled: enabled };
      }
      case 'list_webhook_names': {
        const request = parsePayload('list_webhook_names', payload);
        return listWebhookNames(request.version || command.apiVersion || stableVersion);
      }
      default:
        throw new ProtocolError('not_found', `Unknown method: ${command.action}`);
    }
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

function organizationOf(command: Command): string {
  const organizationId = command.requester?.organizationId;
  if (!organizationId) throw new ProtocolError('authentication', 'Missing requester organization');
  return organizationId;
}

/** The gateway fills owner_client_id from a bearer token's client; a PAT must name it. */
function requireOwner(ownerClientId: string | undefined): string {
  if (!ownerClientId) throw new ProtocolError('validation', 'owner_client_id is required');
  return ownerClientId;
}
