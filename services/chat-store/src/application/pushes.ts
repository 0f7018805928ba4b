import { Push, type Requester } from '@threadline/contracts';
import type { ChatNotification, ChatState } from '../domain/chat.types.ts';
import { customerPayload } from '../domain/chat.views.ts';
import type { PushPublisher } from './ports.ts';

/**
 * Publishes notifications to each recipient's push subject, once their batch is stored (or at
 * once, for signals). Customers get the customer view (or nothing, for agents-only content).
 * Followers of the chat, before or after the batch, get a copy of everything but direct
 * (`pushOnly`) notifications: a follower unfollowed by the batch still hears about it. Only the
 * requester's own copy names the origin connection and request id: the gateway puts `request_id`
 * on the push frame of that connection alone. Pushes are not retried (LiveChat's rule);
 * webhooks are.
 */
export function publishPushes(
  publisher: PushPublisher,
  source: { organizationId: string; requester: Requester | undefined },
  notifications: readonly ChatNotification[],
  states: readonly ChatState[],
): void {
  const chats = states.flatMap((state) => (state.status === 'existing' ? [state] : []));
  const customers = new Set(
    chats.flatMap((chat) =>
      chat.users.filter((user) => user.type === 'customer').map((user) => user.id),
    ),
  );
  const followers = [...new Set(chats.flatMap((chat) => chat.followerIds))];
  for (const notification of notifications) {
    const recipients = notification.pushOnly
      ? notification.recipientUserIds
      : [...new Set([...notification.recipientUserIds, ...followers])];
    for (const userId of recipients) {
      const payload = customers.has(userId) ? customerPayload(notification) : notification.payload;
      if (!payload) continue;
      publisher.publish(
        source.organizationId,
        userId,
        Push.fromPartial({
          organizationId: source.organizationId,
          action: notification.action,
          payloadJson: JSON.stringify(payload),
          ...origin(source.requester, userId),
        }),
      );
    }
  }
}

function origin(requester: Requester | undefined, userId: string) {
  if (!requester || requester.userId !== userId) return {};
  return { originConnectionId: requester.connectionId, requestId: requester.requestId };
}
