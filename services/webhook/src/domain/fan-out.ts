import { type ChatNotification, type ChatSnapshot, evolveChatSnapshot } from './chat-snapshot.ts';
import { buildEnvelope, type WebhookEnvelope } from './envelope.ts';
import { matchesRegistration } from './matching.ts';
import type { Registration } from './registration.ts';
import { findWebhookAction } from './webhook-actions.ts';

export interface BatchFacts {
  version: number;
  requester: { userId: string; userType: string };
  notifications: readonly ChatNotification[];
}

export interface PlannedDelivery {
  registration: Registration;
  /** Position of the notification in its batch: with the batch's identity, names the delivery. */
  notificationIndex: number;
  envelope: WebhookEnvelope;
}

/**
 * Decides the webhooks one chat event batch causes. `registrations` are the organization's
 * registrations for the batch's actions; license webhooks go out only for owners that enabled
 * them, bot webhooks always (bot ownership lives with the gateway's accounts).
 */
export function planDeliveries(input: {
  batch: BatchFacts;
  snapshot: ChatSnapshot | undefined;
  registrations: readonly Registration[];
  enabledLicenseOwners: ReadonlySet<string>;
}): { deliveries: PlannedDelivery[]; snapshot: ChatSnapshot | undefined } {
  const { batch } = input;
  const snapshot = evolveChatSnapshot(input.snapshot, batch);
  const active = input.registrations.filter(
    (registration) =>
      registration.type === 'bot' || input.enabledLicenseOwners.has(registration.ownerClientId),
  );
  const deliveries: PlannedDelivery[] = [];
  batch.notifications.forEach((notification, notificationIndex) => {
    if (!findWebhookAction(notification.action)) return;
    const facts = { ...notification, requester: batch.requester, chat: snapshot };
    for (const registration of active) {
      if (!matchesRegistration(registration, facts)) continue;
      deliveries.push({
        registration,
        notificationIndex,
        envelope: buildEnvelope(registration, facts),
      });
    }
  });
  return { deliveries, snapshot };
}

/** The webhook actions a batch announces: which registrations are worth loading. */
export function webhookActionsOf(notifications: readonly ChatNotification[]): string[] {
  return [
    ...new Set(notifications.map((n) => n.action).filter((action) => findWebhookAction(action))),
  ];
}
