import type { NatsConnection } from '@nats-io/nats-core';
import { callService, type Subjects } from '@threadline/bus';
import { Command } from '@threadline/contracts';
import type { Logger } from '@threadline/runtime';
import type { QueuePlaces, ThreadQueue } from '../../application/ports.ts';

/** A view waits this long for the router; without an answer it shows no queue. */
const timeoutMs = 500;

/** The router's `get_queue_places` (docs/internal-contracts.md). */
export function createQueuePlacesClient(
  connection: NatsConnection,
  subjects: Subjects,
  logger: Logger,
): QueuePlaces {
  return {
    async of(organizationId, threads) {
      if (threads.length === 0) return new Map();
      const command = Command.fromPartial({
        commandId: crypto.randomUUID(),
        requester: { organizationId, userId: 'chat-store', userType: 'system' },
        action: 'get_queue_places',
        payloadJson: JSON.stringify({ chat_ids: threads.map((thread) => thread.chatId) }),
        issuedAt: new Date().toISOString(),
      });
      try {
        const answer = (await callService(connection, subjects.routerExecute, command, {
          timeoutMs,
        })) as { places?: Record<string, ThreadQueue & { thread_id: string }> };
        const places = new Map<string, ThreadQueue>();
        for (const thread of threads) {
          const place = answer.places?.[thread.chatId];
          if (place?.thread_id !== thread.threadId) continue;
          const { thread_id: _threadId, ...queue } = place;
          places.set(thread.chatId, queue);
        }
        return places;
      } catch (error) {
        logger.debug({ err: error }, 'queue places unavailable');
        return new Map();
      }
    },
  };
}
