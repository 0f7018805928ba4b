import type { ChatDomainEvent } from '../chat.types.ts';
import { projectChat } from './chat-row.projection.ts';
import type { ChatRow, EventRow, ThreadRow } from './rows.ts';
import { projectThread, threadIdsOf } from './thread-row.projection.ts';

export interface ProjectionInput {
  chat: ChatRow | undefined;
  /** Current rows of the threads the batch touches (see `threadsTouchedBy`). */
  threads: readonly ThreadRow[];
}

export interface ProjectionChanges {
  chat: ChatRow;
  /** Rows to upsert. */
  threads: ThreadRow[];
  /** Rows to insert. */
  events: EventRow[];
}

/** Thread ids whose current rows `projectBatch` needs. */
export function threadsTouchedBy(events: readonly ChatDomainEvent[]): string[] {
  return [...new Set(events.flatMap(threadIdsOf))];
}

/**
 * Applies one batch to the read rows: the chat row at the batch's version, the thread rows it
 * changed and the event rows it added. Undefined if the batch does not yield a chat (a batch
 * applied to a chat that was never created: a corrupt stream, nothing to write).
 */
export function projectBatch(
  input: ProjectionInput,
  version: number,
  events: readonly ChatDomainEvent[],
): ProjectionChanges | undefined {
  let chat = input.chat;
  const threads = new Map(input.threads.map((thread) => [thread.id, thread]));
  const changed = new Set<string>();
  const added: EventRow[] = [];
  for (const event of events) {
    chat = projectChat(chat, event);
    if (!chat) return undefined;
    for (const threadId of threadIdsOf(event)) {
      const next = projectThread(threadId, threads.get(threadId), event, chat);
      if (next && next !== threads.get(threadId)) {
        threads.set(threadId, next);
        changed.add(threadId);
      }
    }
    if (event.type === 'event_added') {
      const thread = threads.get(event.data.thread_id);
      if (thread) added.push(eventRow(thread, event.data.event));
    }
  }
  if (!chat) return undefined;
  return {
    chat: { ...chat, version },
    threads: [...changed].flatMap((id) => threads.get(id) ?? []),
    events: added,
  };
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
    event,
  };
}
