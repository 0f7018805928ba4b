import type { ChatEvent, ChatUser } from '@threadline/protocol';
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
    case 'thread_opened':
      return {
        ...row,
        active: event.data.active,
        lastThreadId: event.data.thread_id,
        lastThreadCreatedAt: event.occurredAt,
        threadCount: row.threadCount + 1,
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
