import { createHash } from 'node:crypto';
import { wantsMyBots } from '../domain/bot-ownership.ts';
import {
  type ConfigurationChangeFacts,
  chatIdOf,
  isConfigurationWebhookAction,
  planConfigurationDeliveries,
} from '../domain/configuration-change.ts';
import { webhookNamesInEveryVersion } from '../domain/webhook-versions.ts';
import {
  type ConfigurationFanOutStore,
  configurationOrderingKey,
  type NewDelivery,
} from './ports.ts';

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
    const registrations = await unit.registrationsFor(
      webhookNamesInEveryVersion(change.action, change.payload),
    );
    const licenseOwners = [
      ...new Set(registrations.filter((r) => r.type === 'license').map((r) => r.ownerClientId)),
    ];
    if (registrations.length === 0) return 0;
    const chatId = chatIdOf(change);
    const chat = chatId === undefined ? undefined : await unit.loadSnapshot(chatId);
    const planned = planConfigurationDeliveries({
      change,
      registrations,
      enabledLicenseOwners: await unit.enabledLicenseOwners(licenseOwners),
      chat,
      botOwners:
        chat && wantsMyBots(registrations)
          ? await unit.botOwners(Object.keys(chat.userTypes))
          : undefined,
    });
    const deliveries: NewDelivery[] = planned.map(({ registration, webhookIndex, envelope }) => ({
      id: configurationDeliveryId(input.changeId, registration.id, webhookIndex),
      registrationId: registration.id,
      organizationId: change.organizationId,
      action: envelope.action,
      url: registration.url,
      body: JSON.stringify(envelope),
      // Session fields are about one chat: ordered with the chat's webhooks.
      orderingKey: chatId ?? configurationOrderingKey,
    }));
    return unit.enqueue(deliveries);
  });
}

/**
 * 32 hex characters derived from (change id, registration id, which of the registration's
 * webhooks for the change), like chat deliveries' ids. The first keeps the id a change's only
 * webhook had before changes could be split, so a change redelivered across an upgrade is still
 * absorbed.
 */
export function configurationDeliveryId(
  changeId: string,
  registrationId: string,
  webhookIndex = 0,
): string {
  const which = webhookIndex === 0 ? '' : `\n${webhookIndex}`;
  return createHash('sha256')
    .update(`configuration\n${changeId}\n${registrationId}${which}`)
    .digest('hex')
    .slice(0, 32);
}
