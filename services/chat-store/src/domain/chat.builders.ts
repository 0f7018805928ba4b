import { type ChatEvent, type ChatUser, type EventRequest, eventId } from '@threadline/protocol';
import type {
  Actor,
  ChatDomainEvent,
  ChatNotification,
  ExistingChat,
  ThreadState,
} from './chat.types.ts';

/** Builders for the users, events and domain events the decider emits. */

export type UserRef = { id: string; type: 'agent' | 'customer' };

export function listedUsers(actor: Actor, users: readonly UserRef[] | undefined): ChatUser[] {
  if (actor.type !== 'agent') return [];
  return (users ?? [])
    .filter((user) => user.id !== actor.id)
    .map((user) => compactUser({ id: user.id, type: user.type }));
}

export function requesterUser(actor: Actor): ChatUser {
  const { id, name, email, avatar } = actor;
  return compactUser({
    id,
    type: actor.type === 'customer' ? 'customer' : 'agent',
    name,
    email,
    avatar,
  });
}

/** A present, all-visibility user without the empty fields proto3 strings arrive as. */
export function compactUser(user: {
  id: string;
  type: ChatUser['type'];
  name?: string;
  email?: string;
  avatar?: string;
}): ChatUser {
  return {
    id: user.id,
    type: user.type,
    ...(user.name ? { name: user.name } : {}),
    ...(user.email ? { email: user.email } : {}),
    ...(user.avatar ? { avatar: user.avatar } : {}),
    present: true,
    visibility: 'all',
  };
}

export function userAdded(user: ChatUser, at: string): ChatDomainEvent {
  return { type: 'user_added', occurredAt: at, data: { user } };
}

export function eventsSeen(userId: string, seenUpTo: string): ChatDomainEvent {
  return {
    type: 'events_seen',
    occurredAt: seenUpTo,
    data: { user_id: userId, seen_up_to: seenUpTo },
  };
}

export function eventAdded(
  threadId: string,
  event: ChatEvent,
  requested: boolean,
  at: string,
): ChatDomainEvent {
  return { type: 'event_added', occurredAt: at, data: { thread_id: threadId, event, requested } };
}

export function nextEventId(thread: ThreadState): string {
  return eventId(thread.id, thread.events.length + 1);
}

/**
 * A stored event: the request's fields plus id, created_at, author and visibility. System messages
 * have no author; their `recipients: agents` means agents-only visibility.
 */
export function buildEvent(
  request: EventRequest,
  id: string,
  createdAt: string,
  authorId: string,
): ChatEvent {
  const { visibility, ...fields } = request;
  const agentsOnly = request.type === 'system_message' && request.recipients === 'agents';
  return {
    id,
    created_at: createdAt,
    ...fields,
    ...(request.type === 'system_message' ? {} : { author_id: authorId }),
    visibility: visibility ?? (agentsOnly ? 'agents' : 'all'),
  };
}

export function systemMessage(
  id: string,
  createdAt: string,
  systemMessageType: string,
  content: { text: string; text_vars: Record<string, string> },
): ChatEvent {
  return {
    id,
    created_at: createdAt,
    type: 'system_message',
    system_message_type: systemMessageType,
    ...content,
    visibility: 'all',
  };
}

/** The system message deactivate_chat posts (spec §7.1). */
export function archivedMessage(actor: Actor, id: string, at: string): ChatEvent {
  const who = actor.name || actor.id;
  switch (actor.type) {
    case 'agent':
      return systemMessage(id, at, 'manual_archived_agent', {
        text: `${who} archived the chat`,
        text_vars: { agent: who },
      });
    case 'customer':
      return systemMessage(id, at, 'manual_archived_customer', {
        text: `${who} archived the chat`,
        text_vars: { customer: who },
      });
    case 'system':
      return systemMessage(id, at, 'system_archived', {
        text: 'The chat was archived',
        text_vars: {},
      });
  }
}

/** A push/webhook about the chat, for its users `recipientUserIds` and its groups' agents. */
export function notificationOf(
  chat: ExistingChat,
  action: string,
  payload: Record<string, unknown>,
  recipientUserIds: string[],
  flags: { pushOnly?: boolean; agentsOnly?: boolean } = {},
): ChatNotification {
  return {
    action,
    payload,
    recipientUserIds,
    recipientGroupIds: [...chat.access.group_ids],
    ...(flags.pushOnly ? { pushOnly: true as const } : {}),
    ...(flags.agentsOnly ? { agentsOnly: true as const } : {}),
  };
}
