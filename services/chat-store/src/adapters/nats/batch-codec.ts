import { ChatEventBatch, DomainEvent, Notification } from '@threadline/contracts';
import type { ChatBatch } from '../../application/ports.ts';
import {
  type ChatDomainEvent,
  type ChatNotification,
  chatDomainEventTypes,
} from '../../domain/chat.types.ts';

export class CorruptBatchError extends Error {
  override name = 'CorruptBatchError';
}

/**
 * A batch as stored on the stream: the contract's ChatEventBatch with JSON event data. Push-only
 * notifications stay out: they were pushed when the batch was appended.
 */
export function encodeBatch(batch: ChatBatch): Uint8Array {
  return ChatEventBatch.encode(
    ChatEventBatch.fromPartial({
      organizationId: batch.organizationId,
      chatId: batch.chatId,
      version: batch.version,
      commandId: batch.commandId,
      requester: batch.requester,
      events: batch.events.map((event) =>
        DomainEvent.fromPartial({
          type: event.type,
          occurredAt: event.occurredAt,
          dataJson: JSON.stringify(event.data),
        }),
      ),
      notifications: batch.notifications
        .filter((notification) => !notification.pushOnly)
        .map((notification) =>
          Notification.fromPartial({
            action: notification.action,
            payloadJson: JSON.stringify(notification.payload),
            recipientUserIds: notification.recipientUserIds,
            recipientGroupIds: notification.recipientGroupIds,
            agentsOnly: notification.agentsOnly === true,
          }),
        ),
    }),
  ).finish();
}

/**
 * Decodes a stored batch. The stream is written only by chat-store, so a batch that does not
 * decode is corrupt rather than a newer shape: the caller skips it and says so.
 */
export function decodeBatch(data: Uint8Array): ChatBatch {
  let message: ChatEventBatch;
  try {
    message = ChatEventBatch.decode(data);
  } catch (error) {
    throw new CorruptBatchError('Chat event batch does not decode', { cause: error });
  }
  return {
    organizationId: message.organizationId,
    chatId: message.chatId,
    version: message.version,
    commandId: message.commandId,
    requester: message.requester,
    events: message.events.map(decodeEvent),
    notifications: message.notifications.map(
      (notification): ChatNotification => ({
        action: notification.action as ChatNotification['action'],
        payload: parseJson(notification.payloadJson) as Record<string, unknown>,
        recipientUserIds: notification.recipientUserIds,
        recipientGroupIds: notification.recipientGroupIds,
        // Batches stored before the flag existed: agents-only, lest a replay show them to customers.
        ...((notification.agentsOnly ?? true) ? { agentsOnly: true as const } : {}),
      }),
    ),
  };
}

function decodeEvent(event: DomainEvent): ChatDomainEvent {
  if (!(chatDomainEventTypes as readonly string[]).includes(event.type)) {
    throw new CorruptBatchError(`Unknown chat domain event type: ${event.type}`);
  }
  const data = parseJson(event.dataJson);
  if (typeof data !== 'object' || data === null)
    throw new CorruptBatchError(`Event ${event.type} has no data`);
  return { type: event.type, occurredAt: event.occurredAt, data } as ChatDomainEvent;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CorruptBatchError('Chat event batch holds invalid JSON', { cause: error });
  }
}
