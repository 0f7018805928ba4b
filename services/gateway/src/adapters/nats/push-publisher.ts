import type { NatsConnection } from '@nats-io/nats-core';
import { encodePush, publishTraced, type Subjects } from '@threadline/bus';
import { Push } from '@threadline/contracts';
import type { PushPublisher } from '../../application/ports.ts';

/**
 * Pushes the gateway itself causes (customer updates, bans, multicasts): core NATS on each
 * recipient's user subject, like chat-store's, so every gateway holding one of their sockets
 * delivers them. Not retried (LiveChat's rule for pushes).
 */
export function createPushPublisher(connection: NatsConnection, subjects: Subjects): PushPublisher {
  const pushOf = (
    organizationId: string,
    action: string,
    payload: unknown,
    origin: Parameters<PushPublisher['toUsers']>[4],
  ) =>
    Push.fromPartial({
      organizationId,
      action,
      payloadJson: JSON.stringify(payload),
      originConnectionId: origin?.connectionId ?? '',
      requestId: origin?.requestId ?? '',
    });
  return {
    toUsers(organizationId, userIds, action, payload, origin) {
      const push = encodePush(pushOf(organizationId, action, payload, origin));
      for (const userId of new Set(userIds)) {
        publishTraced(connection, subjects.userPushes(organizationId, userId), push);
      }
    },
    aboutCustomer(organizationId, audience, action, payload, origin) {
      const push = {
        ...pushOf(organizationId, action, payload, origin),
        customerId: audience.customerId,
        audienceUserIds: [...new Set(audience.audienceUserIds)],
      };
      publishTraced(connection, subjects.organizationPushes(organizationId), encodePush(push));
    },
  };
}
