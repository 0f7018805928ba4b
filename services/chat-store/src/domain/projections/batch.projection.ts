import { changeEvent, isEventChange } from '../chat.changes.ts';
import type { ChatDomainEvent } from '../chat.types.ts';
import { projectChat } from './chat-row.projection.ts';
import type { ChatRow, EventRow, ThreadRow } from './rows.ts';
import { projectThread, threadIdsOf } from './thread-row.projection.ts';

export interface ProjectionInput {
  chat: ChatRow | undefined;
  /** Current rows of the threads the batch touches (see `threadsTouchedBy`). */
  threads: readonly ThreadRow[];
  /** Current rows of the events the batch changes (see `eventsTouchedBy`). */
  events: readonly EventRow[];
}

export interface ProjectionChanges {
  chat: ChatRow;
  /** Rows to upsert. */
  threads: ThreadRow[];
  /** Rows to upsert: events the batch added or changed. */
  events: EventRow[];
}

/** Thread ids whose current rows `projectBatch` needs. */
export function threadsTouchedBy(events: readonly ChatDomainEvent[]): string[] {
  return [...new Set(events.flatMap(threadIdsOf))];
}

/** Ids of stored events a batch changes (properties, deletion, postbacks). */
export function eventsTouchedBy(events: readonly ChatDomainEvent[]): string[] {
  return [...new Set(events.filter(isEventChange).map((event) => event.data.event_id))];
}

/**
 * Applies one batch to the read rows: the chat row at the batch's version, the thread rows it
 * changed and the event rows it added or changed. Undefined if the batch does not yield a chat (a
 * batch applied to a chat that was never created: a corrupt stream, nothing to write).
 */
export function projectBatch(
  input: ProjectionInput,
  version: number,
  events: readonly ChatDomainEvent[],
): ProjectionChanges | undefined {
  let chat = input.chat;
  const threads = new Map(input.threads.map((thread) => [thread.id, thread]));
  const eventRows = new Map(input.events.map((row) => [eventKey(row.threadId, row.id), row]));
  const changedThreads = new Set<string>();
  const changedEvents = new Set<string>();
  for (const event of events) {
    chat = projectChat(chat, event);
    if (!chat) return undefined;
    for (const threadId of threadIdsOf(event)) {
      const next = projectThread(threadId, threads.get(threadId), event, chat);
      if (next && next !== threads.get(threadId)) {
        threads.set(threadId, next);
        changedThreads.add(threadId);
      }
    }
    const key = eventRowChange(event, threads, eventRows);
    if (key) changedEvents.add(key);
  }
  if (!chat) return undefined;
  return {
    chat: { ...chat, version },
    threads: [...changedThreads].flatMap((id) => threads.get(id) ?? []),
    events: [...changedEvents].flatMap((key) => eventRows.get(key) ?? []),
  };
}

/** Adds or changes the event row an event is about; returns its key, if any. */
function eventRowChange(
  event: ChatDomainEvent,
  threads: ReadonlyMap<string, ThreadRow>,
  rows: Map<string, EventRow>,
): string | undefined {
  if (event.type === 'event_added') {
    const thread = threads.get(event.data.thread_id);
    if (!thread) return undefined;
    const row = eventRow(thread, event.data.event);
    rows.set(eventKey(row.threadId, row.id), row);
    return eventKey(row.threadId, row.id);
  }
  if (!isEventChange(event)) return undefined;
  const key = eventKey(event.data.thread_id, event.data.event_id);
  const row = rows.get(key);
  if (!row) return undefined;
  const changed = changeEvent(row.event, event);
  rows.set(key, { ...row, event: changed, deleted: changed.deleted === true });
  return key;
}

function eventKey(threadId: string, eventId: string): string {
  return `${threadId}/${eventId}`;
}

function eventRow(thread: ThreadRow, event: EventRow['event']): EventRow {
  return {
    organizationId: thread.organizationId,
    chatId: thread.chatId,
    threadId: thread.id,
    id: event.id,
    order: thread.eventsCount,
    createdAt: event.created_at,
    visibility: event.visibility,
    deleted: event.deleted === true,
    event,
  };
}
