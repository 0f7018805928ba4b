import type { Access, ChatEvent, ChatUser, Thread } from '@threadline/protocol';
import type { Actor, ChatNotification, ExistingChat, ThreadState } from './chat.types.ts';

/**
 * Whose eyes a view is for: customers never see `agents`-visibility events or users, nor deleted
 * events; normal agents see a deleted event as a stub; administrators (and owners) see the
 * original, flagged `deleted` (spec §5.3).
 */
export type Viewer = 'customer' | 'agent' | 'administrator';

const administrators: ReadonlySet<string> = new Set(['owner', 'viceowner', 'administrator']);

export function viewerOf(actor: Actor): Viewer {
  if (actor.type === 'customer') return 'customer';
  return administrators.has(actor.role) ? 'administrator' : 'agent';
}

export function visibleEvents(events: readonly ChatEvent[], viewer: Viewer): ChatEvent[] {
  switch (viewer) {
    case 'customer':
      return events.filter((event) => event.visibility !== 'agents' && !event.deleted);
    case 'agent':
      return events.map((event) => (event.deleted ? deletedStub(event) : event));
    case 'administrator':
      return [...events];
  }
}

/** What a normal agent sees of a deleted event. */
function deletedStub(event: ChatEvent): ChatEvent {
  return {
    id: event.id,
    ...(event.custom_id !== undefined ? { custom_id: event.custom_id } : {}),
    created_at: event.created_at,
    type: event.type,
    ...(event.author_id !== undefined ? { author_id: event.author_id } : {}),
    visibility: event.visibility,
    deleted: true,
  };
}

export function visibleUsers(users: readonly ChatUser[], viewer: Viewer): ChatUser[] {
  return viewer === 'customer' ? users.filter((user) => user.visibility !== 'agents') : [...users];
}

/** A thread as the protocol returns it (spec §5.2); customers get no `tags` nor `summary`. */
export function threadView(
  thread: {
    id: string;
    active: boolean;
    userIds: readonly string[];
    events: readonly ChatEvent[];
    properties: Thread['properties'];
    access: Thread['access'];
    createdAt: string;
    tags: readonly string[];
    summary?: Thread['summary'] | undefined;
    previousThreadId?: string | undefined;
    nextThreadId?: string | undefined;
  },
  viewer: Viewer,
): Thread | Omit<Thread, 'tags'> {
  const view: Omit<Thread, 'tags'> = {
    id: thread.id,
    active: thread.active,
    user_ids: [...thread.userIds],
    events: visibleEvents(thread.events, viewer),
    properties: thread.properties,
    access: thread.access,
    created_at: thread.createdAt,
    ...(thread.previousThreadId ? { previous_thread_id: thread.previousThreadId } : {}),
    ...(thread.nextThreadId ? { next_thread_id: thread.nextThreadId } : {}),
  };
  if (viewer === 'customer') return view;
  return {
    ...view,
    tags: [...thread.tags],
    ...(thread.summary ? { summary: thread.summary } : {}),
  };
}

/**
 * `restricted_access` (spec §5.2: "contains the reason for access restriction"): LiveChat's own
 * reason is the plan's history limit, which a self-hosted Threadline has not. Threadline
 * restricts by group instead: a thread keeps the access of the chat when it was opened, and an
 * agent who may see the chat now (a later transfer brought it to their group) but was in none
 * of that thread's groups, nor took part in it, gets the thread without its events.
 */
export const restrictedAccessReason = 'no_access_to_thread_groups';

/** Who reads a thread; `groupIds` absent = a reader no thread is restricted for. */
export interface ThreadReader {
  id: string;
  groupIds?: readonly number[] | undefined;
}

/**
 * Whether the reader gets the thread restricted. `currentAccess` is the chat's access when the
 * thread is the chat's last one: it follows the chat's transfers, so whoever may see the chat
 * reads its current thread in full.
 */
export function isThreadRestricted(
  thread: { access: Access; userIds: readonly string[] },
  reader: ThreadReader,
  currentAccess?: Access,
): boolean {
  const groups = reader.groupIds;
  if (!groups || thread.userIds.includes(reader.id)) return false;
  const access = [...thread.access.group_ids, ...(currentAccess?.group_ids ?? [])];
  return !access.some((group) => groups.includes(group));
}

/** The `chat` object of `incoming_chat`, in the agent view (notifications carry agent payloads). */
export function incomingChatView(chat: ExistingChat, thread: ThreadState) {
  return {
    id: chat.id,
    users: chat.users,
    properties: chat.properties,
    access: chat.access,
    thread: threadView(thread, 'agent'),
  };
}

/**
 * A notification's payload as a customer receives it, or undefined when the customer must not
 * receive it at all. Webhooks and agents get the payload unchanged.
 */
export function customerPayload(
  notification: ChatNotification,
): Record<string, unknown> | undefined {
  if (notification.agentsOnly) return undefined;
  const payload = notification.payload;
  switch (notification.action) {
    case 'incoming_chat': {
      const chat = payload.chat as ReturnType<typeof incomingChatView>;
      const { tags: _tags, summary: _summary, ...thread } = chat.thread as Thread;
      return {
        ...payload,
        chat: {
          ...chat,
          users: visibleUsers(chat.users, 'customer'),
          thread: { ...thread, events: visibleEvents(thread.events, 'customer') },
        },
      };
    }
    case 'incoming_typing_indicator': {
      // The Customer Chat API names the audience `recipients` (spec §4.2).
      const { visibility, ...indicator } = payload.typing_indicator as Record<string, unknown>;
      return { ...payload, typing_indicator: { ...indicator, recipients: visibility } };
    }
    case 'chat_transferred': {
      // The Customer Chat API's chat_transferred has no `reason` (spec §4.2).
      const { reason: _reason, ...transferred } = payload;
      return transferred;
    }
    default:
      return payload;
  }
}
