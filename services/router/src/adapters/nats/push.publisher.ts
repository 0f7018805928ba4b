import type { NatsConnection } from '@nats-io/nats-core';
import { encodePush, type Subjects } from '@threadline/bus';
import { Push } from '@threadline/contracts';
import type { PushPort } from '../../application/ports.ts';

/** Pushes travel on core NATS, not retried (LiveChat's rule); gateways forward them. */
export function createPushPublisher(connection: NatsConnection, subjects: Subjects): PushPort {
  return {
    routingStatusSet(organizationId, agentId, status, origin) {
      const push = Push.fromPartial({
        organizationId,
        action: 'routing_status_set',
        payloadJson: JSON.stringify({ agent_id: agentId, status }),
        originConnectionId: origin?.connectionId ?? '',
        requestId: origin?.requestId ?? '',
      });
      connection.publish(subjects.userPushes(organizationId, agentId), encodePush(push));
    },
  };
}
