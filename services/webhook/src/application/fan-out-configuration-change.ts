import { createHash } from 'node:crypto';
import {
  type ConfigurationChangeFacts,
  chatIdOf,
  isConfigurationWebhookAction,
  planConfigurationDeliveries,
} from '../domain/configuration-change.ts';
import type { ConfigurationFanOutStore, NewDelivery } from './ports.ts';

export interface ConfigurationChangeToFanOut {
  /** The change's `change_id`: with the registration, names each delivery. */
  changeId: string;
  change: ConfigurationChangeFacts;
}

/**
 * Turns one configuration change into outbox rows. Safe to repeat: a redelivered change yields
 * the same delivery ids, which the outbox absorbs. Returns how many deliveries were enqueued.
 */
export async function fanOutConfigurationChange(
  store: ConfigurationFanOutStore,
  input: ConfigurationChangeToFanOut,
): Promise<number> {
  const { change } = input;
  if (!isConfigurationWebhookAction(change.action)) return 0;
  return store.inTransaction(change.organizationId, async (unit) => {
    const registrations = await unit.registrationsFor(change.action);
    const licenseOwners = [
      ...new Set(registrations.filter((r) => r.type === 'license').map((r) => r.ownerClientId)),
    ];
    if (registrations.length === 0) return 0;
    const chatId = chatIdOf(change);
    const planned = planConfigurationDeliveries({
      change,
      registrations,
      enabledLicenseOwners: await unit.enabledLicenseOwners(licenseOwners),
      chat: chatId === undefined ? undefined : await unit.loadSnapshot(chatId),
    });
    const deliveries: NewDelivery[] = planned.map(({ registration, envelope }) => ({
      id: configurationDeliveryId(input.changeId, registration.id),
      registrationId: registration.id,
      organizationId: change.organizationId,
      action: change.action,
      url: registration.url,
      body: JSON.stringify(envelope),
    }));
    return unit.enqueue(deliveries);
  });
}

/** 32 hex characters derived from (change id, registration id), like chat deliveries' ids. */
export function configurationDeliveryId(changeId: string, registrationId: string): string {
  return createHash('sha256')
    .update(`configuration\n${changeId}\n${registrationId}`)
    .digest('hex')
    .slice(0, 32);
}
