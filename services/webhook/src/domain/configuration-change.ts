import type { WebhookEnvelope } from './envelope.ts';
import type { Registration, SourceType } from './registration.ts';
import { webhookActions } from './webhook-actions.ts';

/** One `ConfigurationChange` as the webhook service needs it (docs/internal-contracts.md). */
export interface ConfigurationChangeFacts {
  organizationId: string;
  action: string;
  /** Exactly the push payload, which is also the webhook `payload`. */
  payload: Record<string, unknown>;
  requester: { userId: string; userType: string };
  requesterClientId: string;
  requesterAccountId: string;
}

export interface PlannedConfigurationDelivery {
  registration: Registration;
  envelope: WebhookEnvelope;
}

/**
 * The configuration actions: those whose only filter is `source_type`. Chat actions never come
 * from the configuration stream, so anything else on it announces no webhook.
 */
const configurationActions: ReadonlySet<string> = new Set(
  webhookActions('3.6')
    .filter((a) => a.filters.length === 1 && a.filters[0] === 'source_type')
    .map((a) => a.action),
);

export function isConfigurationWebhookAction(action: string): boolean {
  return configurationActions.has(action);
}

/**
 * Decides the webhooks one configuration change causes: one per registration of the change's
 * organization and action whose `source_type` filter holds; license webhooks only for owners that
 * enabled them, bot webhooks always. Registrations of other organizations are ignored.
 */
export function planConfigurationDeliveries(input: {
  change: ConfigurationChangeFacts;
  registrations: readonly Registration[];
  enabledLicenseOwners: ReadonlySet<string>;
}): PlannedConfigurationDelivery[] {
  const { change } = input;
  if (!isConfigurationWebhookAction(change.action)) return [];
  return input.registrations
    .filter(
      (registration) =>
        registration.organizationId === change.organizationId &&
        registration.action === change.action &&
        (registration.type === 'bot' || input.enabledLicenseOwners.has(registration.ownerClientId)),
    )
    .filter((registration) => {
      const wanted = registration.filters.source_type;
      return !wanted || wanted.includes(changeSourceType(change, registration.ownerClientId));
    })
    .map((registration) => ({
      registration,
      envelope: {
        webhook_id: registration.id,
        secret_key: registration.secretKey,
        action: change.action,
        organization_id: registration.organizationId,
        payload: change.payload,
        additional_data: {},
        requester: {
          user_id: change.requester.userId,
          account_id: change.requesterAccountId,
          client_id: change.requesterClientId,
        },
      },
    }));
}

/**
 * Unlike chat batches, a configuration change names the requester's client: `my_client` when it
 * is the registration's owner, `system` when no user made it, else `other_clients`.
 */
export function changeSourceType(
  change: Pick<ConfigurationChangeFacts, 'requester' | 'requesterClientId'>,
  ownerClientId: string,
): SourceType {
  if (change.requesterClientId !== '' && change.requesterClientId === ownerClientId) {
    return 'my_client';
  }
  const type = change.requester.userType;
  return type === 'system' || type === '' ? 'system' : 'other_clients';
}
