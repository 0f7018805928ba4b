/**
 * What asks for the agent's attention in a chat they do not have open: a new chat, or a message
 * or file from someone else. The console counts these per chat in its list and announces each
 * through a live region. Pure, so it is unit-tested.
 */
import { type Chats, eventView } from '../shared/timeline.ts';

type Json = Record<string, unknown>;

export interface News {
  chatId: string;
  /** The announcement, as a screen reader says it. */
  text: string;
}

const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

function customerName(users: Json[]): string {
  const customer = users.find((user) => user.type === 'customer');
  return (typeof customer?.name === 'string' && customer.name) || 'a customer';
}

/** The push's news for agent `me`, read against the chats as they were before it. */
export function newsOf(action: string, payload: Json, me: string, chats: Chats): News | undefined {
  if (action === 'incoming_chat') {
    const chat = payload.chat as Json;
    return { chatId: String(chat.id), text: `New chat from ${customerName(list(chat.users))}` };
  }
  if (action !== 'incoming_event') return undefined;
  const event = eventView(payload.event as Json);
  if (event.authorId === me || event.type === 'system_message') return undefined;
  const chatId = String(payload.chat_id);
  const author =
    chats[chatId]?.users.find((user) => user.id === event.authorId)?.name || 'Customer';
  const what = event.file ? `sent a file: ${event.file.name}` : `wrote: ${event.text ?? ''}`;
  return { chatId, text: `${author} ${what}` };
}

/** Unread counts per chat: one more for `chatId`. */
export function counted(
  unread: Readonly<Record<string, number>>,
  chatId: string,
): Readonly<Record<string, number>> {
  return { ...unread, [chatId]: (unread[chatId] ?? 0) + 1 };
}
