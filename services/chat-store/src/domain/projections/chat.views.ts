import type { ChatEvent, ChatSummary, CustomerChatSummary } from '@threadline/protocol';
import { threadView, type Viewer, visibleUsers } from '../chat.views.ts';
import type { ChatRow, LastEventEntry, ThreadRow } from './rows.ts';

/** `get_chat`'s answer (spec §2): customers see only `all` events and users, no `is_followed`. */
export function chatView(
  chat: ChatRow,
  thread: ThreadRow | undefined,
  events: readonly ChatEvent[],
  viewer: Viewer,
) {
  return {
    id: chat.id,
    ...(thread ? { thread: threadWithEvents(thread, events, viewer) } : {}),
    users: visibleUsers(chat.users, viewer),
    properties: chat.properties,
    access: chat.access,
    // Following chats is not implemented yet: nobody follows a chat without being in it.
    ...(viewer === 'agent' ? { is_followed: false } : {}),
  };
}

export function threadWithEvents(thread: ThreadRow, events: readonly ChatEvent[], viewer: Viewer) {
  return threadView({ ...thread, events }, viewer);
}

/** The agent API's chat summary (spec §5.2), as in `list_chats`. */
export function agentChatSummary(chat: ChatRow, lastThread: ThreadRow | undefined): ChatSummary {
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
      ({ thread_order: _order, ...entry }) => entry,
    ),
    users: chat.users,
    properties: chat.properties,
    access: chat.access,
    is_followed: false,
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
