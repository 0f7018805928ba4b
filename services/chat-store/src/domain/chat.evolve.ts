import type { ChatUser } from '@threadline/protocol';
import {
  changeEvent,
  changeThread,
  mergeProperties,
  removeProperties,
  withoutPresence,
  withSeen,
} from './chat.changes.ts';
import type { ChatDomainEvent, ChatState, ExistingChat, ThreadState } from './chat.types.ts';

export function initialState(): ChatState {
  return { status: 'none' };
}

export function evolve(state: ChatState, event: ChatDomainEvent): ChatState {
  if (event.type === 'chat_created') {
    return {
      status: 'existing',
      id: event.data.chat_id,
      organizationId: event.data.organization_id,
      properties: event.data.properties,
      access: event.data.access,
      users: [],
      followerIds: [],
      earlierThreads: [],
      threadCount: 0,
    };
  }
  // Every other event needs the chat; on an absent chat it would be a corrupt stream, ignored.
  if (state.status === 'none') return state;
  return evolveExisting(state, event);
}

export function fold(events: readonly ChatDomainEvent[], state = initialState()): ChatState {
  return events.reduce(evolve, state);
}

function evolveExisting(chat: ExistingChat, event: ChatDomainEvent): ExistingChat {
  switch (event.type) {
    case 'chat_created':
      return chat;
    case 'chat_updated':
      return {
        ...chat,
        properties: event.data.properties ?? chat.properties,
        access: event.data.access ?? chat.access,
      };
    case 'user_added':
      return addUser(chat, event.data.user);
    case 'user_removed':
      return { ...chat, users: withoutPresence(chat.users, event.data.user_id) };
    case 'thread_opened':
      return openThread(chat, event);
    case 'event_added':
      return updateThread(chat, event.data.thread_id, (thread) => ({
        ...thread,
        events: [...thread.events, event.data.event],
      }));
    case 'thread_closed':
      return closeThread(chat, event.data.thread_id);
    case 'chat_followed':
      return chat.followerIds.includes(event.data.user_id)
        ? chat
        : { ...chat, followerIds: [...chat.followerIds, event.data.user_id] };
    case 'chat_unfollowed':
      return { ...chat, followerIds: chat.followerIds.filter((id) => id !== event.data.user_id) };
    case 'events_seen':
      return { ...chat, users: withSeen(chat.users, event.data.user_id, event.data.seen_up_to) };
    case 'chat_properties_updated':
      return { ...chat, properties: mergeProperties(chat.properties, event.data.properties) };
    case 'chat_properties_deleted':
      return { ...chat, properties: removeProperties(chat.properties, event.data.properties) };
    case 'thread_properties_updated':
    case 'thread_properties_deleted':
    case 'thread_tagged':
    case 'thread_untagged':
    case 'thread_summary_set':
      return updateThread(chat, event.data.thread_id, (thread) => changeThread(thread, event));
    case 'chat_transferred':
      return chat;
    case 'event_properties_updated':
    case 'event_properties_deleted':
    case 'event_deleted':
    case 'postback_sent':
      return updateThread(chat, event.data.thread_id, (thread) => ({
        ...thread,
        events: thread.events.map((existing) =>
          existing.id === event.data.event_id ? changeEvent(existing, event) : existing,
        ),
      }));
    default:
      return assertNever(event);
  }
}

/** The previous last thread joins the earlier ones; a reactivated chat loses its followers. */
function openThread(
  chat: ExistingChat,
  event: Extract<ChatDomainEvent, { type: 'thread_opened' }>,
): ExistingChat {
  const thread: ThreadState = {
    id: event.data.thread_id,
    active: event.data.active,
    createdAt: event.occurredAt,
    properties: event.data.properties,
    access: event.data.access,
    userIds: event.data.user_ids,
    events: [],
    tags: [],
    ...(event.data.previous_thread_id ? { previousThreadId: event.data.previous_thread_id } : {}),
  };
  return {
    ...chat,
    threadCount: chat.threadCount + 1,
    earlierThreads: chat.lastThread
      ? [...chat.earlierThreads, chat.lastThread]
      : chat.earlierThreads,
    lastThread: thread,
    followerIds: chat.lastThread ? [] : chat.followerIds,
  };
}

function addUser(chat: ExistingChat, user: ChatUser): ExistingChat {
  const known = chat.users.some((existing) => existing.id === user.id);
  const users = known
    ? chat.users.map((existing) => (existing.id === user.id ? { ...existing, ...user } : existing))
    : [...chat.users, user];
  const thread = chat.lastThread;
  // A user who joins the active thread takes part in it.
  const lastThread =
    thread?.active && !thread.userIds.includes(user.id)
      ? { ...thread, userIds: [...thread.userIds, user.id] }
      : thread;
  return { ...chat, users, ...(lastThread ? { lastThread } : {}) };
}

/**
 * Closing a thread takes agents out of the chat's present users: whoever resumes it is routed
 * afresh (LiveChat's rule), while the customer stays, since the chat is theirs.
 */
function closeThread(chat: ExistingChat, threadId: string): ExistingChat {
  const closed = updateThread(chat, threadId, (thread) => ({ ...thread, active: false }));
  return {
    ...closed,
    users: closed.users.map((user) => (user.type === 'agent' ? { ...user, present: false } : user)),
  };
}

function updateThread(
  chat: ExistingChat,
  threadId: string,
  change: (thread: ThreadState) => ThreadState,
): ExistingChat {
  if (chat.lastThread?.id === threadId) return { ...chat, lastThread: change(chat.lastThread) };
  if (!chat.earlierThreads.some((thread) => thread.id === threadId)) return chat;
  return {
    ...chat,
    earlierThreads: chat.earlierThreads.map((thread) =>
      thread.id === threadId ? change(thread) : thread,
    ),
  };
}

/** Any thread of the chat, the last one first. */
export function findThread(chat: ExistingChat, threadId: string): ThreadState | undefined {
  if (chat.lastThread?.id === threadId) return chat.lastThread;
  return chat.earlierThreads.find((thread) => thread.id === threadId);
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
