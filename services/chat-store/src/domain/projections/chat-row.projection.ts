import type { ChatEvent, ChatUser } from '@threadline/protocol';
import {
  changeEvent,
  type EventChange,
  mergeProperties,
  removeProperties,
  withoutPresence,
  withSeen,
} from '../chat.changes.ts';
import { assertNever } from '../chat.evolve.ts';
import type { ChatDomainEvent } from '../chat.types.ts';
import type { ChatRow, LastEventEntry } from './rows.ts';

/**
 * Folds one event into the chat's row. Everything in the row comes from events (timestamps
 * included), so replaying the stream rebuilds the same row. The version is set per batch by
 * `projectBatch`.
 */
export function projectChat(row: ChatRow | undefined, event: ChatDomainEvent): ChatRow | undefined {
  if (event.type === 'chat_created') {
    return {
      organizationId: event.data.organization_id,
      id: event.data.chat_id,
      version: 0,
      properties: event.data.properties,
      access: event.data.access,
      users: [],
      followerIds: [],
      active: false,
      createdAt: event.occurredAt,
      threadCount: 0,
      lastEventPerType: {},
      customerLastEventPerType: {},
    };
  }
  if (!row) return undefined;
  switch (event.type) {
    case 'chat_updated':
      return {
        ...row,
        properties: event.data.properties ?? row.properties,
        access: event.data.access ?? row.access,
      };
    case 'user_added':
      return withUser(row, event.data.user);
    case 'user_removed':
      return { ...row, users: withoutPresence(row.users, event.data.user_id) };
    case 'thread_opened':
      return {
        ...row,
        active: event.data.active,
        lastThreadId: event.data.thread_id,
        lastThreadCreatedAt: event.occurredAt,
        threadCount: row.threadCount + 1,
        // A reactivated chat loses its followers (as the aggregate does).
        followerIds: row.lastThreadId ? [] : row.followerIds,
      };
    case 'event_added':
      return withLastEvent(row, event.data.thread_id, event.data.event);
    case 'thread_closed':
      return {
        ...row,
        active: row.lastThreadId === event.data.thread_id ? false : row.active,
        users: row.users.map((user) =>
          user.type === 'agent' ? { ...user, present: false } : user,
        ),
      };
    case 'chat_followed':
      return row.followerIds.includes(event.data.user_id)
        ? row
        : { ...row, followerIds: [...row.followerIds, event.data.user_id] };
    case 'chat_unfollowed':
      return { ...row, followerIds: row.followerIds.filter((id) => id !== event.data.user_id) };
    case 'events_seen':
      return { ...row, users: withSeen(row.users, event.data.user_id, event.data.seen_up_to) };
    case 'chat_properties_updated':
      return { ...row, properties: mergeProperties(row.properties, event.data.properties) };
    case 'chat_properties_deleted':
      return { ...row, properties: removeProperties(row.properties, event.data.properties) };
    case 'event_properties_updated':
    case 'event_properties_deleted':
    case 'event_deleted':
    case 'postback_sent':
      return withChangedLastEvent(row, event);
    case 'thread_properties_updated':
    case 'thread_properties_deleted':
    case 'thread_tagged':
    case 'thread_untagged':
    case 'thread_summary_set':
    case 'chat_transferred':
      return row;
    default:
      return assertNever(event);
  }
}

function withUser(row: ChatRow, user: ChatUser): ChatRow {
  const known = row.users.some((existing) => existing.id === user.id);
  const users = known
    ? row.users.map((existing) => (existing.id === user.id ? { ...existing, ...user } : existing))
    : [...row.users, user];
  return { ...row, users, ...(user.type === 'customer' ? { customerId: user.id } : {}) };
}

/** Events only ever go to the chat's last thread, so its id, time and order describe them. */
function withLastEvent(row: ChatRow, threadId: string, event: ChatEvent): ChatRow {
  const entry: LastEventEntry = {
    thread_id: threadId,
    thread_created_at: row.lastThreadCreatedAt ?? event.created_at,
    thread_order: row.threadCount,
    event,
  };
  return {
    ...row,
    lastEventPerType: { ...row.lastEventPerType, [event.type]: entry },
    customerLastEventPerType:
      event.visibility === 'agents'
        ? row.customerLastEventPerType
        : { ...row.customerLastEventPerType, [event.type]: entry },
  };
}

/**
 * Keeps the last events in step with changes to them. A deleted event leaves the customer's
 * summary (customers never see it); the one before it is not looked up.
 */
function withChangedLastEvent(row: ChatRow, change: EventChange): ChatRow {
  const update = (entries: Record<string, LastEventEntry>, dropDeleted: boolean) =>
    Object.fromEntries(
      Object.entries(entries).flatMap(([type, entry]) => {
        if (entry.event.id !== change.data.event_id || entry.thread_id !== change.data.thread_id) {
          return [[type, entry]];
        }
        const event = changeEvent(entry.event, change);
        return dropDeleted && event.deleted ? [] : [[type, { ...entry, event }]];
      }),
    );
  return {
    ...row,
    lastEventPerType: update(row.lastEventPerType, false),
    customerLastEventPerType: update(row.customerLastEventPerType, true),
  };
}
