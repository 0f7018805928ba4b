import type { ChatUser } from '@threadline/protocol';
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
    case 'thread_opened':
      return {
        ...chat,
        threadCount: chat.threadCount + 1,
        lastThread: {
          id: event.data.thread_id,
          active: event.data.active,
          createdAt: event.occurredAt,
          properties: event.data.properties,
          access: event.data.access,
          userIds: event.data.user_ids,
          events: [],
          ...(event.data.previous_thread_id
            ? { previousThreadId: event.data.previous_thread_id }
            : {}),
        },
      };
    case 'event_added':
      return updateThread(chat, event.data.thread_id, (thread) => ({
        ...thread,
        events: [...thread.events, event.data.event],
      }));
    case 'thread_closed':
      return closeThread(chat, event.data.thread_id);
    default:
      return assertNever(event);
  }
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
  if (chat.lastThread?.id !== threadId) return chat;
  return { ...chat, lastThread: change(chat.lastThread) };
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
