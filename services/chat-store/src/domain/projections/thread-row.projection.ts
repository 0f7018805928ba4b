import { changeThread, isThreadChange } from '../chat.changes.ts';
import type { ChatDomainEvent } from '../chat.types.ts';
import type { ChatRow, ThreadRow } from './rows.ts';

/** The threads an event changes: the one it names, and for a new thread also the one before. */
export function threadIdsOf(event: ChatDomainEvent): string[] {
  switch (event.type) {
    case 'thread_opened':
      return [
        event.data.thread_id,
        ...(event.data.previous_thread_id ? [event.data.previous_thread_id] : []),
      ];
    case 'event_added':
    case 'thread_closed':
    case 'thread_properties_updated':
    case 'thread_properties_deleted':
    case 'thread_tagged':
    case 'thread_untagged':
    case 'thread_summary_set':
      return [event.data.thread_id];
    case 'user_added':
      return event.data.thread_id ? [event.data.thread_id] : [];
    case 'chat_created':
    case 'chat_updated':
    case 'user_removed':
    case 'chat_followed':
    case 'chat_unfollowed':
    case 'events_seen':
    case 'chat_properties_updated':
    case 'chat_properties_deleted':
    case 'event_properties_updated':
    case 'event_properties_deleted':
    case 'event_deleted':
    case 'postback_sent':
    case 'chat_transferred':
      return [];
  }
}

/**
 * Folds one event into the row of thread `threadId` (undefined until `thread_opened` creates
 * it). `chat` is the chat row after the same event, which gives a new thread its order.
 */
export function projectThread(
  threadId: string,
  row: ThreadRow | undefined,
  event: ChatDomainEvent,
  chat: ChatRow,
): ThreadRow | undefined {
  if (isThreadChange(event)) return row && changeThread(row, event);
  switch (event.type) {
    case 'thread_opened':
      if (event.data.thread_id === threadId) {
        return {
          organizationId: chat.organizationId,
          chatId: chat.id,
          id: threadId,
          order: chat.threadCount,
          active: event.data.active,
          createdAt: event.occurredAt,
          properties: event.data.properties,
          access: event.data.access,
          userIds: event.data.user_ids,
          tags: [],
          ...(event.data.previous_thread_id
            ? { previousThreadId: event.data.previous_thread_id }
            : {}),
          eventsCount: 0,
        };
      }
      return row && { ...row, nextThreadId: event.data.thread_id };
    case 'event_added':
      return row && { ...row, eventsCount: row.eventsCount + 1 };
    case 'thread_closed':
      return row && { ...row, active: false };
    case 'user_added':
      return row && !row.userIds.includes(event.data.user.id)
        ? { ...row, userIds: [...row.userIds, event.data.user.id] }
        : row;
    default:
      return row;
  }
}
