/**
 * What a page shows of its chats, folded from RTM responses and pushes: pure, so both pages share
 * it and it is unit-tested without a browser. Payloads are LiveChat's (spec §4.1, §4.2).
 */

type Json = Record<string, unknown>;

export interface EventView {
  id: string;
  type: string;
  createdAt: string;
  authorId: string | undefined;
  text: string | undefined;
  file: { name: string; url: string } | undefined;
}

export interface UserView {
  id: string;
  type: string;
  name: string;
  seenUpTo: string | undefined;
}

export interface ChatView {
  id: string;
  threadId: string | undefined;
  active: boolean;
  users: UserView[];
  events: EventView[];
  tags: string[];
  /** Users typing right now (typing indicators, by author id). */
  typing: string[];
  /** What the customer is typing, for agents (sneak peek); cleared when the message arrives. */
  sneakPeek: string | undefined;
  /** The customer's place in the queue while no agent has the chat. */
  queuePosition: number | undefined;
}

export type Chats = Readonly<Record<string, ChatView>>;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

export function eventView(raw: Json): EventView {
  const url = text(raw.url);
  return {
    id: String(raw.id ?? ''),
    type: String(raw.type ?? 'message'),
    createdAt: String(raw.created_at ?? ''),
    authorId: text(raw.author_id),
    text: text(raw.text),
    file: url ? { name: text(raw.name) ?? url, url } : undefined,
  };
}

function userView(raw: Json): UserView {
  return {
    id: String(raw.id ?? ''),
    type: String(raw.type ?? ''),
    name: text(raw.name) ?? '',
    seenUpTo: text(raw.events_seen_up_to),
  };
}

/** Events in time order, each once (a push may repeat what a listing already returned). */
function mergeEvents(current: EventView[], added: EventView[]): EventView[] {
  const byId = new Map(current.map((event) => [event.id, event]));
  for (const event of added) byId.set(event.id, event);
  return [...byId.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

function queuePositionOf(thread: Json | undefined): number | undefined {
  const queue = thread?.queue as Json | undefined;
  return typeof queue?.position === 'number' ? queue.position : undefined;
}

/**
 * A chat from `get_chat`, `incoming_chat.chat` or a `list_chats` summary (whose `last_thread_summary`
 * has no events), merged into what was known of it.
 */
export function chatView(raw: Json, known?: ChatView): ChatView {
  const thread = (raw.thread ?? raw.last_thread_summary) as Json | undefined;
  const users = list(raw.users).map(userView);
  return {
    id: String(raw.id ?? ''),
    threadId: text(thread?.id) ?? known?.threadId,
    active: thread ? thread.active === true : (known?.active ?? false),
    users: users.length > 0 ? users : (known?.users ?? []),
    events: mergeEvents(known?.events ?? [], list(thread?.events).map(eventView)),
    tags: Array.isArray(thread?.tags) ? (thread.tags as string[]) : (known?.tags ?? []),
    typing: known?.typing ?? [],
    sneakPeek: known?.sneakPeek,
    queuePosition: queuePositionOf(thread),
  };
}

/**
 * A chat read again (`get_chat`) over what pushes made of it meanwhile: pushes that arrived while
 * the read was on its way keep their events, and who is typing stays as the pushes said.
 */
export function refreshed(known: ChatView | undefined, read: ChatView): ChatView {
  if (!known) return read;
  return {
    ...read,
    queuePosition: read.queuePosition ?? (read.active ? undefined : known.queuePosition),
    events: mergeEvents(known.events, read.events),
    typing: known.typing,
    sneakPeek: known.sneakPeek,
  };
}

/** The history of every thread of a chat (`list_threads`), oldest first. */
export function withThreads(chat: ChatView, threads: Json[]): ChatView {
  const events = threads.flatMap((thread) => list(thread.events).map(eventView));
  return { ...chat, events: mergeEvents(chat.events, events) };
}

function update(chats: Chats, chatId: unknown, change: (chat: ChatView) => ChatView): Chats {
  const chat = typeof chatId === 'string' ? chats[chatId] : undefined;
  return chat ? { ...chats, [chat.id]: change(chat) } : chats;
}

function without(chats: Chats, chatId: unknown): Chats {
  const { [String(chatId)]: _removed, ...rest } = chats;
  return rest;
}

function seenBy(users: UserView[], userId: unknown, seenUpTo: unknown): UserView[] {
  return users.map((user) =>
    user.id === userId && typeof seenUpTo === 'string' ? { ...user, seenUpTo } : user,
  );
}

/**
 * A queued chat the page's agent only watched (they are not in it), which another agent took
 * from the queue: it is not theirs to answer, so it leaves their list.
 */
function isTakenByAnother(chat: ChatView | undefined, user: Json, me: string): boolean {
  return (
    chat?.queuePosition !== undefined &&
    user.type === 'agent' &&
    user.id !== me &&
    !chat.users.some((known) => known.id === me)
  );
}

/**
 * Folds one push into the chats. `me` is the page's own user: a chat it was removed from or
 * transferred away from leaves the list (an agent's console), a customer keeps theirs.
 */
export function applyPush(chats: Chats, action: string, payload: Json, me: string): Chats {
  const chatId = payload.chat_id;
  switch (action) {
    case 'incoming_chat': {
      const raw = payload.chat as Json;
      return { ...chats, [String(raw.id)]: chatView(raw, chats[String(raw.id)]) };
    }
    case 'incoming_event': {
      const event = eventView(payload.event as Json);
      return update(chats, chatId, (chat) => ({
        ...chat,
        events: mergeEvents(chat.events, [event]),
        typing: chat.typing.filter((author) => author !== event.authorId),
        sneakPeek: event.authorId === me ? chat.sneakPeek : undefined,
      }));
    }
    case 'chat_deactivated':
      return update(chats, chatId, (chat) => ({ ...chat, active: false, typing: [] }));
    case 'incoming_typing_indicator': {
      const indicator = payload.typing_indicator as Json;
      const author = String(indicator.author_id);
      return update(chats, chatId, (chat) => ({
        ...chat,
        typing: indicator.is_typing
          ? [...new Set([...chat.typing, author])]
          : chat.typing.filter((id) => id !== author),
      }));
    }
    case 'incoming_sneak_peek': {
      const peek = text((payload.sneak_peek as Json | undefined)?.text);
      return update(chats, chatId, (chat) => ({ ...chat, sneakPeek: peek || undefined }));
    }
    case 'events_marked_as_seen':
      return update(chats, chatId, (chat) => ({
        ...chat,
        users: seenBy(chat.users, payload.user_id, payload.seen_up_to),
      }));
    case 'queue_position_updated':
      return update(chats, chatId, (chat) => ({
        ...chat,
        queuePosition: queuePositionOf(payload),
      }));
    case 'queue_positions_updated':
      return list(payload).reduce<Chats>(
        (all, entry) => applyPush(all, 'queue_position_updated', entry, me),
        chats,
      );
    case 'user_added_to_chat':
      if (isTakenByAnother(chats[String(chatId)], payload.user as Json, me)) {
        return without(chats, chatId);
      }
      return update(chats, chatId, (chat) => {
        const user = userView(payload.user as Json);
        const others = chat.users.filter((known) => known.id !== user.id);
        return { ...chat, users: [...others, user], queuePosition: undefined };
      });
    case 'user_removed_from_chat':
      if (payload.user_id === me) return without(chats, chatId);
      return update(chats, chatId, (chat) => ({
        ...chat,
        users: chat.users.filter((user) => user.id !== payload.user_id),
      }));
    case 'chat_transferred': {
      const to = payload.transferred_to as { agent_ids?: string[] } | undefined;
      const stillMine = to?.agent_ids === undefined || to.agent_ids.includes(me);
      const isCustomer = chats[String(chatId)]?.users.some(
        (user) => user.id === me && user.type === 'customer',
      );
      return stillMine || isCustomer ? chats : without(chats, chatId);
    }
    case 'thread_tagged':
    case 'thread_untagged':
      return update(chats, chatId, (chat) => ({
        ...chat,
        tags:
          action === 'thread_tagged'
            ? [...new Set([...chat.tags, String(payload.tag)])]
            : chat.tags.filter((tag) => tag !== payload.tag),
      }));
    default:
      return chats;
  }
}

/** The newest event another user wrote, for `mark_events_as_seen` and unread markers. */
export function lastEventFrom(chat: ChatView, notAuthor: string): EventView | undefined {
  return chat.events.findLast((event) => event.authorId !== notAuthor);
}

/** Whether everyone else has seen the page user's last message (the "Seen" receipt). */
export function isSeenByOthers(chat: ChatView, me: string): boolean {
  const mine = chat.events.findLast((event) => event.authorId === me);
  if (!mine) return false;
  return chat.users.some(
    (user) => user.id !== me && user.seenUpTo !== undefined && user.seenUpTo >= mine.createdAt,
  );
}
