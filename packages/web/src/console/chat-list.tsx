import type { ChatView } from '../shared/timeline.ts';

function customerName(chat: ChatView): string {
  return chat.users.find((user) => user.type === 'customer')?.name || 'Customer';
}

function describe(chat: ChatView): string {
  if (chat.queuePosition !== undefined) return `Queued, position ${chat.queuePosition}`;
  if (!chat.active) return 'Closed';
  if (chat.sneakPeek || chat.typing.length > 0) return 'Typing…';
  return chat.events.at(-1)?.text ?? 'Active';
}

/** The agent's chats; the selected one is `aria-current`, unread ones say how many are new. */
export function ChatList(props: {
  chats: ChatView[];
  selected: string | undefined;
  unread: Readonly<Record<string, number>>;
  onSelect(chatId: string): void;
}) {
  if (props.chats.length === 0) return <p class="notice pad">No chats yet.</p>;
  return (
    <ul class="chat-list">
      {props.chats.map((chat) => (
        <li key={chat.id}>
          <button
            type="button"
            class="chat-entry"
            aria-current={chat.id === props.selected ? 'true' : undefined}
            onClick={() => props.onSelect(chat.id)}
          >
            <strong>{customerName(chat)}</strong>
            {(props.unread[chat.id] ?? 0) > 0 && (
              <span class="badge">{props.unread[chat.id]} new</span>
            )}
            <span class="preview">{describe(chat)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
