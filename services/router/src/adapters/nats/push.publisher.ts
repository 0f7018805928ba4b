import { randomUUID } from 'node:crypto';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import {
  encodePush,
  publishConfigurationChange,
  publishTraced,
  type Subjects,
} from '@threadline/bus';
import { ConfigurationChange, Push } from '@threadline/contracts';
import type { Logger } from '@threadline/runtime';
import type { ChangedQueuePlace, PushPort } from '../../application/ports.ts';

/**
 * Pushes travel on core NATS, not retried (LiveChat's rule); gateways forward them. A routing
 * status change is also recorded on the configuration stream (docs/internal-contracts.md), where
 * the webhook service turns it into `routing_status_set` webhooks, delivered at least once.
 */
export function createPushPublisher(
  bus: { connection: NatsConnection; jetstream: JetStreamClient },
  subjects: Subjects,
  logger: Logger,
): PushPort {
  const { connection } = bus;
  return {
    async routingStatusSet(organizationId, agentId, status, cause) {
      const payloadJson = JSON.stringify({ agent_id: agentId, status });
      const push = Push.fromPartial({
        organizationId,
        action: 'routing_status_set',
        payloadJson,
        originConnectionId: cause.origin?.connectionId ?? '',
        requestId: cause.origin?.requestId ?? '',
      });
      publishTraced(connection, subjects.userPushes(organizationId, agentId), encodePush(push));
      const change = ConfigurationChange.fromPartial({
        changeId: randomUUID(),
        organizationId,
        action: 'routing_status_set',
        payloadJson,
        requester: cause.requester ?? { organizationId, userId: 'router', userType: 'system' },
        occurredAt: new Date().toISOString(),
      });
      // The status is saved: a lost record costs its webhook only, so it is reported, not thrown.
      await publishConfigurationChange(bus.jetstream, subjects, change).catch((error: unknown) =>
        logger.error({ err: error, organizationId, agentId }, 'routing status not recorded'),
      );
    },

    queuePlacesChanged(organizationId, changed) {
      for (const entry of changed) {
        if (!entry.customerId) continue;
        const push = Push.fromPartial({
          organizationId,
          action: 'queue_position_updated',
          payloadJson: JSON.stringify(queueEntry(entry)),
        });
        publishTraced(
          connection,
          subjects.userPushes(organizationId, entry.customerId),
          encodePush(push),
        );
      }
      // One push per set of groups: an agent hears only of chats their groups can see.
      for (const [groups, entries] of byGroups(changed)) {
        const push = Push.fromPartial({
          organizationId,
          action: 'queue_positions_updated',
          payloadJson: JSON.stringify(entries.map(queueEntry)),
          audienceGroupIds: groups,
        });
        publishTraced(connection, subjects.organizationPushes(organizationId), encodePush(push));
      }
    },

    takenFromQueue(organizationId, taken) {
      const { id, name, email, avatar } = taken.agent;
      const push = Push.fromPartial({
        organizationId,
        action: 'user_added_to_chat',
        payloadJson: JSON.stringify({
          chat_id: taken.chatId,
          thread_id: taken.threadId,
          user: { id, type: 'agent', name, email, avatar, present: true },
          reason: taken.reason ?? 'assigned',
        }),
        audienceGroupIds: taken.groupIds.length === 0 ? [0] : [...taken.groupIds],
      });
      connection.publish(subjects.organizationPushes(organizationId), encodePush(push));
    },
  };
}

function queueEntry(entry: ChangedQueuePlace) {
  return {
    chat_id: entry.chatId,
    thread_id: entry.threadId,
    queue: { position: entry.place.position, wait_time: entry.place.waitTime },
  };
}

function byGroups(changed: readonly ChangedQueuePlace[]): Map<number[], ChangedQueuePlace[]> {
  const byKey = new Map<string, { groups: number[]; entries: ChangedQueuePlace[] }>();
  for (const entry of changed) {
    const groups = entry.groupIds.length === 0 ? [0] : [...entry.groupIds].sort((a, b) => a - b);
    const key = groups.join(',');
    const bucket = byKey.get(key) ?? { groups, entries: [] };
    bucket.entries.push(entry);
    byKey.set(key, bucket);
  }
  return new Map([...byKey.values()].map(({ groups, entries }) => [groups, entries]));
}
