import { Push, type Requester } from '@threadline/contracts';
import { type PushPosition, pushPositionKey } from '@threadline/protocol';
import type { ChatNotification, ChatState } from '../domain/chat.types.ts';
import { customerPayload } from '../domain/chat.views.ts';
import type { PushPublisher } from './ports.ts';

/** What pushes come from: a stored batch (its pushes carry their position), or signals. */
export interface PushSource {
  organizationId: string;
  requester: Requester | undefined;
  /** A batch's chat and version; absent for signals, which are stored nowhere. */
  chatId?: string;
  version?: number;
}

/** One recipient's push. */
export interface AddressedPush {
  userId: string;
  push: Push;
}

/**
 * Publishes notifications to each recipient's push subject, once their batch is stored (or at
 * once, for signals). Pushes are not retried (LiveChat's rule); webhooks are, and a client that
 * missed pushes can have them replayed (`push-replay.ts`).
 */
export function publishPushes(
  publisher: PushPublisher,
  source: PushSource,
  notifications: readonly ChatNotification[],
  states: readonly ChatState[],
  lastPushed?: ReadonlyMap<string, number>,
): void {
  for (const { userId, push } of pushesFor(source, notifications, states, lastPushed)) {
    publisher.publish(source.organizationId, userId, push);
  }
}

/**
 * Who gets which push of a batch. Customers get the customer view (or nothing, for agents-only
 * content). Followers of the chat, before or after the batch, get a copy of everything but direct
 * (`pushOnly`) notifications: a follower unfollowed by the batch still hears about it. Only the
 * requester's own copy names the origin connection and request id: the gateway puts `request_id`
 * on the push frame of that connection alone. A batch's pushes carry their position
 * (`_threadline`): numbered per recipient over the stored notifications, so that a replay of the
 * stored batch (which lacks the `pushOnly` ones) numbers them the same way, and naming the
 * recipient's previous replayable batch of the chat (`lastPushed`), so that a gateway can put
 * pushes of one chat back in order and notice one that never came.
 */
export function pushesFor(
  source: PushSource,
  notifications: readonly ChatNotification[],
  states: readonly ChatState[],
  lastPushed: ReadonlyMap<string, number> = new Map(),
): AddressedPush[] {
  const indexes = new Map<string, number>();
  return addressees(notifications, states).map(({ notification, userId, payload }) => {
    const position = positionOf(source, notification, userId, { indexes, lastPushed });
    return {
      userId,
      push: Push.fromPartial({
        organizationId: source.organizationId,
        action: notification.action,
        payloadJson: JSON.stringify(
          position ? { ...payload, [pushPositionKey]: position } : payload,
        ),
        ...origin(source.requester, userId),
      }),
    };
  });
}

/**
 * The recipients' last replayable batch of the chat once `version` is pushed: what the next
 * batch's pushes name as `previous`.
 */
export function withPushed(
  lastPushed: ReadonlyMap<string, number>,
  version: number,
  notifications: readonly ChatNotification[],
  states: readonly ChatState[],
): ReadonlyMap<string, number> {
  const next = new Map(lastPushed);
  for (const { notification, userId } of addressees(notifications, states)) {
    if (!notification.pushOnly) next.set(userId, version);
  }
  return next;
}

interface Addressee {
  notification: ChatNotification;
  userId: string;
  payload: Record<string, unknown>;
}

function addressees(
  notifications: readonly ChatNotification[],
  states: readonly ChatState[],
): Addressee[] {
  const chats = states.flatMap((state) => (state.status === 'existing' ? [state] : []));
  const customers = new Set(
    chats.flatMap((chat) =>
      chat.users.filter((user) => user.type === 'customer').map((user) => user.id),
    ),
  );
  const followers = [...new Set(chats.flatMap((chat) => chat.followerIds))];
  return notifications.flatMap((notification) => {
    const recipients = notification.pushOnly
      ? notification.recipientUserIds
      : [...new Set([...notification.recipientUserIds, ...followers])];
    return recipients.flatMap((userId) => {
      const payload = customers.has(userId) ? customerPayload(notification) : notification.payload;
      return payload ? [{ notification, userId, payload }] : [];
    });
  });
}

function positionOf(
  source: PushSource,
  notification: ChatNotification,
  userId: string,
  numbering: { indexes: Map<string, number>; lastPushed: ReadonlyMap<string, number> },
): PushPosition | undefined {
  if (source.chatId === undefined || source.version === undefined) return undefined;
  const position = { chat_id: source.chatId, sequence: source.version };
  if (notification.pushOnly) return position;
  const index = numbering.indexes.get(userId) ?? 0;
  numbering.indexes.set(userId, index + 1);
  return { ...position, index, previous: numbering.lastPushed.get(userId) ?? 0 };
}

function origin(requester: Requester | undefined, userId: string) {
  if (!requester || requester.userId !== userId) return {};
  return { originConnectionId: requester.connectionId, requestId: requester.requestId };
}
