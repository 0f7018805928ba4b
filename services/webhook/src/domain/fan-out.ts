import type { BotOwners } from './bot-ownership.ts';
import { type ChatNotification, type ChatSnapshot, evolveChatSnapshot } from './chat-snapshot.ts';
import { buildEnvelope, type WebhookEnvelope } from './envelope.ts';
import { matchesRegistration, type Requester } from './matching.ts';
import type { Registration } from './registration.ts';
import { findWebhookAction } from './webhook-actions.ts';
import { webhooksInVersion } from './webhook-versions.ts';

export interface BatchFacts {
  version: number;
  requester: Requester;
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
 * them, bot webhooks always (whatever the bots' routing status, which the router keeps).
 */
export function planDeliveries(input: {
  batch: BatchFacts;
  snapshot: ChatSnapshot | undefined;
  registrations: readonly Registration[];
  enabledLicenseOwners: ReadonlySet<string>;
  /** The bots among the batch's present users (`presentUserIds`), for `chat_presence.my_bots`. */
  botOwners?: BotOwners | undefined;
}): { deliveries: PlannedDelivery[]; snapshot: ChatSnapshot | undefined } {
  const { batch } = input;
  const snapshot = evolveChatSnapshot(input.snapshot, batch);
  const active = input.registrations.filter(
    (registration) =>
      registration.type === 'bot' || input.enabledLicenseOwners.has(registration.ownerClientId),
  );
  const deliveries: PlannedDelivery[] = [];
  for (const { notification, notificationIndex } of webhookView(batch.notifications)) {
    const facts = {
      ...notification,
      requester: batch.requester,
      chat: snapshot,
      botOwners: input.botOwners,
    };
    for (const registration of active) {
      if (!matchesRegistration(registration, facts)) continue;
      // No version renames or splits a chat push: one webhook at most, in the registration's
      // version (3.4 and 3.5 postbacks lack what 3.6 added).
      const [webhook] = webhooksInVersion(registration, facts.action, facts.payload);
      if (!webhook) continue;
      deliveries.push({
        registration,
        notificationIndex,
        envelope: buildEnvelope(registration, facts, webhook),
      });
    }
  }
  return { deliveries, snapshot };
}

/**
 * The batch's notifications as webhooks see them, each with its position in the batch.
 * Notifications are computed per push audience: when the router assigns an agent, the agent gets
 * `incoming_chat` and the users already there get `user_added_to_chat`. A webhook is not an
 * audience, and LiveChat fires `incoming_chat` only for a chat coming with a new thread, so that
 * `incoming_chat` is left out and the `user_added_to_chat` counts everyone present.
 */
export function webhookView(
  notifications: readonly ChatNotification[],
): { notification: ChatNotification; notificationIndex: number }[] {
  const added = notifications.filter((n) => n.action === 'user_added_to_chat');
  const assignmentPush = (n: ChatNotification) =>
    n.action === 'incoming_chat' && added.some((a) => isPushToAddedUser(n, a));
  return notifications.flatMap((notification, notificationIndex) => {
    if (!findWebhookAction(notification.action) || assignmentPush(notification)) return [];
    if (notification.action !== 'user_added_to_chat') return [{ notification, notificationIndex }];
    const pushes = notifications.filter(
      (n) => n.action === 'incoming_chat' && isPushToAddedUser(n, notification),
    );
    // The added user is present too: batches as stored carry no push-only `incoming_chat` to
    // them, and a bot's `chat_presence` filter on its own id must match its own assignment.
    const added = addedUserId(notification);
    const present = new Set([
      ...notification.recipientUserIds,
      ...pushes.flatMap((n) => n.recipientUserIds),
      ...(added ? [added] : []),
    ]);
    return [
      { notification: { ...notification, recipientUserIds: [...present] }, notificationIndex },
    ];
  });
}

function addedUserId(userAdded: ChatNotification): string | undefined {
  const user = userAdded.payload.user;
  const userId =
    typeof user === 'object' && user !== null ? (user as { id?: unknown }).id : undefined;
  return typeof userId === 'string' ? userId : undefined;
}

function isPushToAddedUser(incomingChat: ChatNotification, userAdded: ChatNotification): boolean {
  const userId = addedUserId(userAdded);
  return (
    userId !== undefined &&
    incomingChat.recipientUserIds.length === 1 &&
    incomingChat.recipientUserIds[0] === userId
  );
}

/** Every user some webhook of the batch counts as present: whose bots `my_bots` must know. */
export function presentUserIds(notifications: readonly ChatNotification[]): string[] {
  return [
    ...new Set(
      webhookView(notifications).flatMap(({ notification }) => notification.recipientUserIds),
    ),
  ];
}

/** The webhook actions a batch announces: which registrations are worth loading. */
export function webhookActionsOf(notifications: readonly ChatNotification[]): string[] {
  return [
    ...new Set(notifications.map((n) => n.action).filter((action) => findWebhookAction(action))),
  ];
}
