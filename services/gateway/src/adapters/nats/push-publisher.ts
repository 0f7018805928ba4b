import type { NatsConnection } from '@nats-io/nats-core';
import { encodePush, type Subjects } from '@threadline/bus';
import { Push } from '@threadline/contracts';
import type { PushPublisher } from '../../application/ports.ts';

/**
 * Pushes the gateway itself causes (customer updates, bans, multicasts): core NATS on each
 * recipient's user subject, like chat-store's, so every gateway holding one of their sockets
 * delivers them. Not retried (LiveChat's rule for pushes).
 */
export function createPushPublisher(connection: NatsConnection, subjects: Subjects): PushPublisher {
  return {
    toUsers(organizationId, userIds, action, payload, origin) {
      const payloadJson = JSON.stringify(payload);
      for (const userId of new Set(userIds)) {
        const push = Push.fromPartial({
          organizationId,
          action,
          payloadJson,
          originConnectionId: origin?.connectionId ?? '',
          requestId: origin?.requestId ?? '',
        });
        connection.publish(subjects.userPushes(organizationId, userId), encodePush(push));
      }
    },
  };
}
