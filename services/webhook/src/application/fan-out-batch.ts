import { createHash } from 'node:crypto';
import { wantsMyBots } from '../domain/bot-ownership.ts';
import { affectsSnapshot } from '../domain/chat-snapshot.ts';
import {
  type BatchFacts,
  planDeliveries,
  presentUserIds,
  webhookActionsOf,
} from '../domain/fan-out.ts';
import type { FanOutStore, NewDelivery } from './ports.ts';

export interface BatchToFanOut {
  organizationId: string;
  chatId: string;
  /** Where the batch sits in the event stream: with the stream's name, the batch's identity. */
  stream: string;
  streamSequence: number;
  batch: BatchFacts;
}

/**
 * Turns one chat event batch into outbox rows, in one transaction with the chat's snapshot. Safe
 * to repeat: a redelivered batch yields the same delivery ids and inserts nothing new.
 * Returns how many deliveries were enqueued. `open` opens the notifications' sealed personal
 * data; it is called only for a batch that has something to do, since deciding that needs no more
 * than the notifications' actions.
 */
export async function fanOutBatch(
  store: FanOutStore,
  sealed: BatchToFanOut,
  open: (input: BatchToFanOut) => Promise<BatchToFanOut> = async (input) => input,
): Promise<number> {
  const { notifications } = sealed.batch;
  const actions = webhookActionsOf(notifications);
  const changesSnapshot = notifications.some((n) => affectsSnapshot(n.action));
  // Most batches are a message (incoming_event) and leave the snapshot as it is: unless someone
  // has a webhook for them, one unlocked read is all they cost, not a transaction of five.
  if (!changesSnapshot && !(await store.anyRegistrationFor(sealed.organizationId, actions))) {
    return 0;
  }
  const input = await open(sealed);
  return store.inChatTransaction(input.organizationId, input.chatId, async (unit) => {
    const before = await unit.loadSnapshot();
    const registrations = await unit.registrationsFor(actions);
    const licenseOwners = [
      ...new Set(registrations.filter((r) => r.type === 'license').map((r) => r.ownerClientId)),
    ];
    const plan = planDeliveries({
      batch: input.batch,
      snapshot: before,
      registrations,
      enabledLicenseOwners: await unit.enabledLicenseOwners(licenseOwners),
      botOwners: wantsMyBots(registrations)
        ? await unit.botOwners(presentUserIds(input.batch.notifications))
        : undefined,
    });
    if (plan.snapshot && plan.snapshot !== before) await unit.saveSnapshot(plan.snapshot);
    const deliveries: NewDelivery[] = plan.deliveries.map((planned) => ({
      id: deliveryId(input, planned.notificationIndex, planned.registration.id),
      registrationId: planned.registration.id,
      organizationId: input.organizationId,
      action: planned.envelope.action,
      url: planned.registration.url,
      body: JSON.stringify(planned.envelope),
      orderingKey: input.chatId,
    }));
    return unit.enqueue(deliveries);
  });
}

/**
 * 32 hex characters derived from (stream, stream sequence, notification index, registration id):
 * the same batch always names its deliveries the same way, and receivers drop duplicates by it.
 */
export function deliveryId(
  input: Pick<BatchToFanOut, 'stream' | 'streamSequence'>,
  notificationIndex: number,
  registrationId: string,
): string {
  return createHash('sha256')
    .update(`${input.stream}\n${input.streamSequence}\n${notificationIndex}\n${registrationId}`)
    .digest('hex')
    .slice(0, 32);
}
