import { Push, type Requester } from '@threadline/contracts';
import type { ChatState } from '../domain/chat.types.ts';
import { customerPayload } from '../domain/chat.views.ts';
import type { ChatBatch, PushPublisher } from './ports.ts';

/**
 * Publishes a batch's notifications to each recipient's push subject, once the batch is stored.
 * Customers get the customer view (or nothing, for agents-only content). Only the requester's
 * own copy names the origin connection and request id: the gateway puts `request_id` on the push
 * frame of that connection alone. Pushes are not retried (LiveChat's rule); webhooks are.
 */
export function publishPushes(publisher: PushPublisher, batch: ChatBatch, state: ChatState): void {
  const users = state.status === 'existing' ? state.users : [];
  const requester = batch.requester;
  for (const notification of batch.notifications) {
    for (const userId of notification.recipientUserIds) {
      const isCustomer = users.some((user) => user.id === userId && user.type === 'customer');
      const payload = isCustomer ? customerPayload(notification) : notification.payload;
      if (!payload) continue;
      publisher.publish(
        batch.organizationId,
        userId,
        Push.fromPartial({
          organizationId: batch.organizationId,
          action: notification.action,
          payloadJson: JSON.stringify(payload),
          ...origin(requester, userId),
        }),
      );
    }
  }
}

function origin(requester: Requester | undefined, userId: string) {
  if (!requester || requester.userId !== userId) return {};
  return { originConnectionId: requester.connectionId, requestId: requester.requestId };
}
