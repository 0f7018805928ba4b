import type { NatsConnection } from '@nats-io/nats-core';
import { encodePush, publishTraced, type Subjects } from '@threadline/bus';
import type { PushPublisher } from '../../application/ports.ts';

/** Pushes go on core NATS to the user's subject; gateways subscribe for the users they serve. */
export function createPushPublisher(connection: NatsConnection, subjects: Subjects): PushPublisher {
  return {
    publish(organizationId, userId, push) {
      publishTraced(connection, subjects.userPushes(organizationId, userId), encodePush(push));
    },
  };
}
