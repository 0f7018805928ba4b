import type { ChatCommandType } from './chat.commands.ts';
import type { ChatDomainEvent } from './chat.types.ts';

/**
 * The protocol response of a command, read off the events it appended. Deriving it from the events
 * (not from the decision in memory) is what lets a retried command get its original answer back
 * from the stored batch. Every command but these three answers `{}` (spec: "no response payload").
 */
export function responseFor(
  type: ChatCommandType,
  events: readonly ChatDomainEvent[],
): Record<string, unknown> {
  switch (type) {
    case 'start_chat': {
      const created = events.find((event) => event.type === 'chat_created');
      return {
        chat_id: created?.type === 'chat_created' ? created.data.chat_id : undefined,
        ...threadResponse(events),
      };
    }
    case 'resume_chat':
      return threadResponse(events);
    case 'send_event':
      return { event_id: requestedEventIds(events)[0] };
    default:
      return {};
  }
}

/** `thread_id`, plus `event_ids` when the request carried events (spec: "user events only"). */
function threadResponse(events: readonly ChatDomainEvent[]): Record<string, unknown> {
  const opened = events.find((event) => event.type === 'thread_opened');
  const eventIds = requestedEventIds(events);
  return {
    thread_id: opened?.type === 'thread_opened' ? opened.data.thread_id : undefined,
    ...(eventIds.length ? { event_ids: eventIds } : {}),
  };
}

function requestedEventIds(events: readonly ChatDomainEvent[]): string[] {
  return events.flatMap((event) =>
    event.type === 'event_added' && event.data.requested ? [event.data.event.id] : [],
  );
}
