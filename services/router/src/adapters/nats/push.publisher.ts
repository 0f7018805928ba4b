import type { NatsConnection } from '@nats-io/nats-core';
import { encodePush, type Subjects } from '@threadline/bus';
import { Push } from '@threadline/contracts';
import type { ChangedQueuePlace, PushPort } from '../../application/ports.ts';

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

    queuePlacesChanged(organizationId, changed) {
      for (const entry of changed) {
        if (!entry.customerId) continue;
        const push = Push.fromPartial({
          organizationId,
          action: 'queue_position_updated',
          payloadJson: JSON.stringify(queueEntry(entry)),
        });
        connection.publish(subjects.userPushes(organizationId, entry.customerId), encodePush(push));
      }
      // One push per set of groups: an agent hears only of chats their groups can see.
      for (const [groups, entries] of byGroups(changed)) {
        const push = Push.fromPartial({
          organizationId,
          action: 'queue_positions_updated',
          payloadJson: JSON.stringify(entries.map(queueEntry)),
          audienceGroupIds: groups,
        });
        connection.publish(subjects.organizationPushes(organizationId), encodePush(push));
      }
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
