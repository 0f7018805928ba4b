import type { ChatEvent, ChatUser, Thread } from '@threadline/protocol';
import type { ChatNotification, ExistingChat, ThreadState } from './chat.types.ts';

/** Whose eyes a view is for: customers never see `agents`-visibility events or users. */
export type Viewer = 'agent' | 'customer';

export function visibleEvents(events: readonly ChatEvent[], viewer: Viewer): ChatEvent[] {
  return viewer === 'customer'
    ? events.filter((event) => event.visibility !== 'agents')
    : [...events];
}

export function visibleUsers(users: readonly ChatUser[], viewer: Viewer): ChatUser[] {
  return viewer === 'customer' ? users.filter((user) => user.visibility !== 'agents') : [...users];
}

/** A thread as the protocol returns it (spec §5.2); customers get no `tags`. */
export function threadView(
  thread: {
    id: string;
    active: boolean;
    userIds: readonly string[];
    events: readonly ChatEvent[];
    properties: Thread['properties'];
    access: Thread['access'];
    createdAt: string;
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
  return viewer === 'customer' ? view : { ...view, tags: [] };
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
 * receive it at all (an `agents`-visibility event or user). Webhooks and agents get the payload
 * unchanged.
 */
export function customerPayload(
  notification: ChatNotification,
): Record<string, unknown> | undefined {
  const payload = notification.payload;
  switch (notification.action) {
    case 'incoming_event':
      return (payload.event as ChatEvent).visibility === 'agents' ? undefined : payload;
    case 'user_added_to_chat':
      return (payload.user as ChatUser).visibility === 'agents' ? undefined : payload;
    case 'incoming_chat': {
      const chat = payload.chat as ReturnType<typeof incomingChatView>;
      const { tags: _tags, ...thread } = chat.thread as Thread;
      return {
        ...payload,
        chat: {
          ...chat,
          users: visibleUsers(chat.users, 'customer'),
          thread: { ...thread, events: visibleEvents(thread.events, 'customer') },
        },
      };
    }
    case 'chat_deactivated':
      return payload;
  }
}
