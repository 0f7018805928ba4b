import type { Insertable, Selectable } from 'kysely';
import type { ChatRow, EventRow, ThreadRow } from '../../domain/projections/rows.ts';
import type { ChatsTable, EventsTable, ThreadsTable } from './database.ts';

/** Domain rows ↔ table rows. Nulls become absent fields, so rebuilt rows compare equal. */
export function toChatRow(row: Selectable<ChatsTable>): ChatRow {
  return {
    organizationId: row.organization_id,
    id: row.id,
    version: row.version,
    properties: row.properties,
    access: { group_ids: row.access_group_ids },
    users: row.users,
    followerIds: row.followers,
    ...(row.customer_id ? { customerId: row.customer_id } : {}),
    active: row.active,
    createdAt: row.created_at,
    ...(row.last_thread_id
      ? { lastThreadId: row.last_thread_id, lastThreadCreatedAt: row.last_thread_created_at }
      : {}),
    threadCount: row.thread_count,
    lastEventPerType: row.last_event_per_type,
    customerLastEventPerType: row.customer_last_event_per_type,
  };
}

export function fromChatRow(chat: ChatRow): Insertable<ChatsTable> {
  return {
    organization_id: chat.organizationId,
    id: chat.id,
    version: chat.version,
    properties: JSON.stringify(chat.properties),
    access_group_ids: chat.access.group_ids,
    users: JSON.stringify(chat.users),
    followers: JSON.stringify(chat.followerIds),
    customer_id: chat.customerId ?? null,
    active: chat.active,
    created_at: chat.createdAt,
    last_thread_id: chat.lastThreadId ?? null,
    last_thread_created_at: chat.lastThreadCreatedAt ?? chat.createdAt,
    thread_count: chat.threadCount,
    last_event_per_type: JSON.stringify(chat.lastEventPerType),
    customer_last_event_per_type: JSON.stringify(chat.customerLastEventPerType),
  };
}

export function toThreadRow(row: Selectable<ThreadsTable>): ThreadRow {
  return {
    organizationId: row.organization_id,
    chatId: row.chat_id,
    id: row.id,
    order: row.thread_order,
    active: row.active,
    createdAt: row.created_at,
    properties: row.properties,
    access: { group_ids: row.access_group_ids },
    userIds: row.user_ids,
    tags: row.tags,
    ...(row.summary ? { summary: row.summary } : {}),
    ...(row.previous_thread_id ? { previousThreadId: row.previous_thread_id } : {}),
    ...(row.next_thread_id ? { nextThreadId: row.next_thread_id } : {}),
    eventsCount: row.events_count,
  };
}

export function fromThreadRow(thread: ThreadRow): Insertable<ThreadsTable> {
  return {
    organization_id: thread.organizationId,
    chat_id: thread.chatId,
    id: thread.id,
    thread_order: thread.order,
    active: thread.active,
    created_at: thread.createdAt,
    properties: JSON.stringify(thread.properties),
    access_group_ids: thread.access.group_ids,
    user_ids: JSON.stringify(thread.userIds),
    tags: JSON.stringify(thread.tags),
    summary: thread.summary ? JSON.stringify(thread.summary) : null,
    previous_thread_id: thread.previousThreadId ?? null,
    next_thread_id: thread.nextThreadId ?? null,
    events_count: thread.eventsCount,
  };
}

/**
 * The columns an event row is read from: not `select *`, which would also fetch the stored
 * `search_vector` (a column of the search, never of a view; not in `EventsTable`).
 */
export const eventColumns = [
  'organization_id',
  'chat_id',
  'thread_id',
  'id',
  'event_order',
  'created_at',
  'visibility',
  'deleted',
  'body',
] as const satisfies readonly (keyof EventsTable)[];

export function toEventRow(row: Selectable<EventsTable>): EventRow {
  return {
    organizationId: row.organization_id,
    chatId: row.chat_id,
    threadId: row.thread_id,
    id: row.id,
    order: row.event_order,
    createdAt: row.created_at,
    visibility: row.visibility === 'agents' ? 'agents' : 'all',
    deleted: row.deleted,
    event: row.body,
  };
}

export function fromEventRow(event: EventRow): Insertable<EventsTable> {
  return {
    organization_id: event.organizationId,
    chat_id: event.chatId,
    thread_id: event.threadId,
    id: event.id,
    event_order: event.order,
    created_at: event.createdAt,
    visibility: event.visibility,
    deleted: event.deleted,
    body: JSON.stringify(event.event),
  };
}
