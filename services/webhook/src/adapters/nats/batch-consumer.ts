import {
  type Bus,
  type DurableConsumerLoop,
  ensureDurableConsumer,
  runDurableConsumer,
  type Subjects,
} from '@threadline/bus';
import { ChatEventBatch } from '@threadline/contracts';
import type { Logger } from '@threadline/runtime';
import { type BatchToFanOut, fanOutBatch } from '../../application/fan-out-batch.ts';
import type { FanOutStore } from '../../application/ports.ts';
import type { ChatNotification } from '../../domain/chat-snapshot.ts';

/** One durable consumer shared by every webhook replica: each batch is fanned out by one. */
export const webhookConsumerName = 'webhook';

export async function startBatchConsumer(deps: {
  bus: Bus;
  subjects: Subjects;
  store: FanOutStore;
  logger: Logger;
  onFannedOut: (enqueued: number) => void;
}): Promise<DurableConsumerLoop> {
  const { bus, subjects, logger } = deps;
  const stream = subjects.chatStream;
  await ensureDurableConsumer(bus.manager, {
    stream,
    durable: webhookConsumerName,
    filterSubject: subjects.allChatEvents,
  });
  return runDurableConsumer(bus.jetstream, {
    stream,
    durable: webhookConsumerName,
    handle: async (message) => {
      let batch: ChatEventBatch;
      try {
        batch = ChatEventBatch.decode(message.data);
      } catch (error) {
        // Retrying cannot make it decodable; stop it from blocking the consumer.
        logger.error({ err: error, subject: message.subject }, 'undecodable chat event batch');
        return { type: 'term', reason: 'undecodable ChatEventBatch' };
      }
      const input = toBatchToFanOut(batch, stream, message.info.streamSequence, (index, error) =>
        logger.error(
          { err: error, subject: message.subject, index },
          'notification payload is not JSON',
        ),
      );
      deps.onFannedOut(await fanOutBatch(deps.store, input));
      return { type: 'ack' };
    },
    onError: (error, message) =>
      logger.error(
        { err: error, subject: message?.subject },
        'fanning out a chat event batch failed',
      ),
  });
}

/**
 * Maps the protobuf batch to what the application needs. A notification whose payload is not
 * JSON keeps its position (delivery ids depend on it) but no action, so nothing matches it.
 */
export function toBatchToFanOut(
  batch: ChatEventBatch,
  stream: string,
  streamSequence: number,
  onBadPayload: (index: number, error: unknown) => void,
): BatchToFanOut {
  const notifications = batch.notifications.map((notification, index): ChatNotification => {
    try {
      const payload: unknown = JSON.parse(notification.payloadJson || '{}');
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
        throw new Error('payload is not a JSON object');
      }
      return {
        action: notification.action,
        payload: payload as Record<string, unknown>,
        recipientUserIds: notification.recipientUserIds,
      };
    } catch (error) {
      onBadPayload(index, error);
      return { action: '', payload: {}, recipientUserIds: [] };
    }
  });
  return {
    organizationId: batch.organizationId,
    chatId: batch.chatId,
    stream,
    streamSequence,
    batch: {
      version: batch.version,
      requester: {
        userId: batch.requester?.userId ?? '',
        userType: batch.requester?.userType ?? '',
      },
      notifications,
    },
  };
}
