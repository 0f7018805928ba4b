import type { ChatEvent, ChatSummary, CustomerChatSummary } from '@threadline/protocol';
import type { Actor } from '../chat.types.ts';
import {
  isThreadRestricted,
  restrictedAccessReason,
  type ThreadReader,
  threadView,
  type Viewer,
  viewerOf,
  visibleEvents,
  visibleUsers,
} from '../chat.views.ts';
import type { ChatRow, LastEventEntry, ThreadRow } from './rows.ts';

/** Who reads: the view's kind, the reader's id (for `is_followed`) and groups (restrictions). */
export interface Reader extends ThreadReader {
  viewer: Viewer;
}

/**
 * Only agents can find a thread restricted: customers read their own chats, the router and a
 * `chats--all` request every chat's conversation.
 */
export function readerOf(actor: Actor): Reader {
  return {
    viewer: viewerOf(actor),
    id: actor.id,
    ...(actor.type === 'agent' && !actor.allChats ? { groupIds: actor.groupIds } : {}),
  };
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
    ...(thread ? { thread: threadWithEvents(chat, thread, events, reader) } : {}),
    users: visibleUsers(chat.users, reader.viewer),
    properties: chat.properties,
    access: chat.access,
    ...(reader.viewer === 'customer' ? {} : { is_followed: chat.followerIds.includes(reader.id) }),
  };
}

/** A thread in the reader's view; restricted (no events) when the reader lacks its groups. */
export function threadWithEvents(
  chat: Pick<ChatRow, 'access' | 'lastThreadId'>,
  thread: ThreadRow,
  events: readonly ChatEvent[],
  reader: Reader,
) {
  const view = threadView({ ...thread, events }, reader.viewer);
  if (!isRestrictedFor(chat, thread, reader)) return view;
  const { events: _events, ...restricted } = view;
  return { ...restricted, restricted_access: restrictedAccessReason };
}

export function isRestrictedFor(
  chat: Pick<ChatRow, 'access' | 'lastThreadId'>,
  thread: Pick<ThreadRow, 'id' | 'access' | 'userIds'>,
  reader: ThreadReader,
): boolean {
  return isThreadRestricted(
    thread,
    reader,
    thread.id === chat.lastThreadId ? chat.access : undefined,
  );
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

/**
 * `previous_accessible_thread_id` / `next_accessible_thread_id` (spec §5.2, `list_archives`):
 * the nearest earlier and later threads of the chat the reader gets unrestricted.
 */
export function accessibleNeighbours(
  chat: Pick<ChatRow, 'access' | 'lastThreadId'>,
  threads: readonly Pick<ThreadRow, 'id' | 'order' | 'access' | 'userIds'>[],
  thread: Pick<ThreadRow, 'order'>,
  reader: ThreadReader,
) {
  const accessible = threads.filter((other) => !isRestrictedFor(chat, other, reader));
  const previous = accessible.filter((other) => other.order < thread.order).at(-1);
  const next = accessible.find((other) => other.order > thread.order);
  return {
    ...(previous ? { previous_accessible_thread_id: previous.id } : {}),
    ...(next ? { next_accessible_thread_id: next.id } : {}),
  };
}
