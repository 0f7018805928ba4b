import type { Bus, DurableConsumerLoop, Subjects } from '@threadline/bus';
import { ChatEventBatch } from '@threadline/contracts';
import { type KeyRing, openPersonalData } from '@threadline/personal-data';
import type { Logger } from '@threadline/runtime';
import { type BatchToFanOut, fanOutBatch } from '../../application/fan-out-batch.ts';
import type { FanOutStore } from '../../application/ports.ts';
import type { ChatNotification } from '../../domain/chat-snapshot.ts';
import { parseJsonObject, startFanOutConsumer } from './fan-out-consumer.ts';

/** One durable consumer shared by every webhook replica: each batch is fanned out by one. */
export const webhookConsumerName = 'webhook';

export function startBatchConsumer(deps: {
  bus: Bus;
  subjects: Subjects;
  store: FanOutStore;
  logger: Logger;
  onFannedOut: (enqueued: number) => void;
  /** Opens customers' sealed personal data: webhooks carry it in the clear, as LiveChat's do. */
  keys: Pick<KeyRing, 'openingKeys'>;
}): Promise<DurableConsumerLoop> {
  const { subjects, logger } = deps;
  const stream = subjects.chatStream;
  return startFanOutConsumer({
    ...deps,
    stream,
    durable: webhookConsumerName,
    filterSubject: subjects.allChatEvents,
    what: 'chat event batch',
    read: (message) =>
      toBatchToFanOut(
        ChatEventBatch.decode(message.data),
        stream,
        message.info.streamSequence,
        (index, error) =>
          logger.error(
            { err: error, subject: message.subject, index },
            'notification payload is not JSON',
          ),
      ),
    // Opened in the fan-out rather than in `read`: a key lookup that fails is retried, not
    // terminated; and only a batch somebody has a webhook for (or that changes the snapshot).
    fanOut: (input) =>
      fanOutBatch(deps.store, input, (sealed) => openNotifications(deps.keys, sealed)),
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
      return {
        action: notification.action,
        payload: parseJsonObject(notification.payloadJson),
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
        clientId: batch.requester?.clientId ?? '',
      },
      notifications,
    },
  };
}

/** The batch with its notifications' sealed fields opened (an erased customer's: placeholders). */
async function openNotifications(
  keys: Pick<KeyRing, 'openingKeys'>,
  input: BatchToFanOut,
): Promise<BatchToFanOut> {
  const notifications = await openPersonalData(
    keys,
    input.organizationId,
    input.batch.notifications,
  );
  return { ...input, batch: { ...input.batch, notifications } };
}
