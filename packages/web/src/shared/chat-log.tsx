import { useEffect, useRef } from 'preact/hooks';
import { type ChatView, type EventView, isSeenByOthers } from './timeline.ts';

interface ChatLogProps {
  chat: ChatView;
  /** The page's own user: their messages sit on the right and get the "Seen" receipt. */
  me: string;
  /** Shown while the other side types: the customer sees "Agent is typing", agents a sneak peek. */
  activity?: string | undefined;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

function authorName(chat: ChatView, event: EventView, me: string): string {
  if (event.authorId === me) return 'You';
  return chat.users.find((user) => user.id === event.authorId)?.name || 'Agent';
}

function EventItem({ chat, event, me }: { chat: ChatView; event: EventView; me: string }) {
  if (event.type === 'system_message') {
    return <li class="event system">{event.text}</li>;
  }
  const mine = event.authorId === me;
  return (
    <li class={mine ? 'event mine' : 'event theirs'}>
      <span class="visually-hidden">{authorName(chat, event, me)} said:</span>
      {event.file ? (
        <a href={event.file.url} target="_blank" rel="noopener noreferrer">
          File: {event.file.name}
        </a>
      ) : (
        <p>{event.text}</p>
      )}
      {event.createdAt && (
        <time dateTime={event.createdAt}>{timeFormat.format(new Date(event.createdAt))}</time>
      )}
    </li>
  );
}

/**
 * The messages of a chat as a live region: screen readers announce new messages as they arrive;
 * the view follows the newest one.
 */
export function ChatLog({ chat, me, activity }: ChatLogProps) {
  const end = useRef<HTMLDivElement>(null);
  const count = chat.events.length;
  useEffect(() => {
    if (count > 0) end.current?.scrollIntoView?.({ block: 'end' });
  }, [count]);
  return (
    <div class="chat-log">
      <div role="log" aria-live="polite" aria-label="Messages">
        <ol>
          {chat.events.map((event) => (
            <EventItem key={event.id} chat={chat} event={event} me={me} />
          ))}
        </ol>
      </div>
      <p class="status-line" aria-live="polite">
        {activity ?? (isSeenByOthers(chat, me) ? 'Seen' : '')}
      </p>
      <div ref={end} />
    </div>
  );
}
