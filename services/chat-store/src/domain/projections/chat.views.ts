import type { ChatEvent, ChatSummary, CustomerChatSummary } from '@threadline/protocol';
import { threadView, type Viewer, visibleEvents, visibleUsers } from '../chat.views.ts';
import type { ChatRow, LastEventEntry, ThreadRow } from './rows.ts';

/** Who reads: the view's kind and the reader's id (for `is_followed`). */
export interface Reader {
  viewer: Viewer;
  id: string;
}

/** `get_chat`'s answer (spec §2): customers see only `all` events and users, no `is_followed`. */
export function chatView(
  chat: ChatRow,
  thread: ThreadRow | undefined,
  events: readonly ChatEvent[],
  reader: Reader,
) {
  return {
    id: chat.id,
    ...(thread ? { thread: threadWithEvents(thread, events, reader.viewer) } : {}),
    users: visibleUsers(chat.users, reader.viewer),
    properties: chat.properties,
    access: chat.access,
    ...(reader.viewer === 'customer' ? {} : { is_followed: chat.followerIds.includes(reader.id) }),
  };
}

export function threadWithEvents(thread: ThreadRow, events: readonly ChatEvent[], viewer: Viewer) {
  return threadView({ ...thread, events }, viewer);
}

/** The agent API's chat summary (spec §5.2), as in `list_chats`. */
export function agentChatSummary(
  chat: ChatRow,
  lastThread: ThreadRow | undefined,
  reader: Reader,
): ChatSummary {
  return {
    id: chat.id,
    ...(lastThread
      ? {
          last_thread_summary: {
            id: lastThread.id,
            created_at: lastThread.createdAt,
            user_ids: lastThread.userIds,
            properties: lastThread.properties,
            active: lastThread.active,
            access: lastThread.access,
          },
        }
      : {}),
    last_event_per_type: mapEntries(
      chat.lastEventPerType,
      ({ thread_order: _order, ...entry }) => ({
        ...entry,
        event: visibleEvents([entry.event], reader.viewer)[0] ?? entry.event,
      }),
    ),
    users: chat.users,
    properties: chat.properties,
    access: chat.access,
    is_followed: chat.followerIds.includes(reader.id),
  };
}

/** The customer API's chat summary (spec §5.2). */
export function customerChatSummary(chat: ChatRow): CustomerChatSummary {
  return {
    id: chat.id,
    ...(chat.lastThreadId ? { last_thread_id: chat.lastThreadId } : {}),
    ...(chat.lastThreadCreatedAt ? { last_thread_created_at: chat.lastThreadCreatedAt } : {}),
    last_event_per_type: chat.customerLastEventPerType,
    users: visibleUsers(chat.users, 'customer'),
    properties: chat.properties,
    access: chat.access,
    active: chat.active,
  };
}

function mapEntries<T>(
  entries: Record<string, LastEventEntry>,
  map: (entry: LastEventEntry) => T,
): Record<string, T> {
  return Object.fromEntries(Object.entries(entries).map(([type, entry]) => [type, map(entry)]));
}
