import { type ChatUser, ProtocolError } from '@threadline/protocol';
import { isPresentUser } from './chat.access.ts';
import { compactUser, eventAdded, nextEventId, systemMessage } from './chat.builders.ts';
import type { PayloadCommand } from './chat.commands.ts';
import { activeThread, requireAgent, requirePresence, visibleChat } from './chat.guards.ts';
import type { Actor, ChatState, Decision, ExistingChat, ThreadState } from './chat.types.ts';

type ParticipantCommand = PayloadCommand<
  'add_user_to_chat' | 'remove_user_from_chat' | 'follow_chat' | 'unfollow_chat'
>;

/** Who is in a chat and who follows it (spec §2 "Chats, access, users"). */
export function decideParticipants(command: ParticipantCommand, state: ChatState): Decision {
  const denied = requireAgent(command.actor, command.type);
  if (denied) return denied;
  switch (command.type) {
    case 'add_user_to_chat':
      return decideAddUser(command, state);
    case 'remove_user_from_chat':
      return decideRemoveUser(command, state);
    case 'follow_chat':
      return decideFollow(command, state);
    case 'unfollow_chat':
      return decideUnfollow(command, state);
  }
}

/**
 * Adds a user to the active chat (reason `manual`). A user already present is left as is. The
 * second and later agents come with LiveChat's `agent_added`/`agent_joined` system message, a
 * customer with `customer_added`; the message has the added user's visibility.
 */
function decideAddUser(command: PayloadCommand<'add_user_to_chat'>, state: ChatState): Decision {
  const { actor, payload, at } = command;
  const chat = visibleChat(actor, state, payload.chat_id);
  if (chat instanceof ProtocolError) return chat;
  const thread = activeThread(chat);
  if (thread instanceof ProtocolError) return thread;
  const absent = requirePresence(chat, actor, payload.ignore_requester_presence ?? false);
  if (absent) return absent;
  const invalid = checkAddedUser(chat, payload);
  if (invalid) return invalid;
  const existing = chat.users.find((user) => user.id === payload.user_id);
  if (existing?.present) return [];
  const user: ChatUser = {
    ...(existing ?? compactUser({ id: payload.user_id, type: payload.user_type })),
    present: true,
    visibility: payload.visibility,
  };
  const message = addedMessage(chat, thread, actor, user, at);
  return [
    { type: 'user_added', occurredAt: at, data: { user, reason: 'manual', thread_id: thread.id } },
    ...(message ? [eventAdded(thread.id, message, false, at)] : []),
  ];
}

function checkAddedUser(
  chat: ExistingChat,
  payload: PayloadCommand<'add_user_to_chat'>['payload'],
): ProtocolError | undefined {
  const existing = chat.users.find((user) => user.id === payload.user_id);
  if (existing && existing.type !== payload.user_type) {
    return new ProtocolError(
      'validation',
      `User ${payload.user_id} is a ${existing.type} of this chat, not a ${payload.user_type}`,
    );
  }
  if (payload.user_type !== 'customer') return undefined;
  if (payload.visibility !== 'all') {
    return new ProtocolError('validation', 'A customer must be added with visibility all');
  }
  const otherCustomer = chat.users.some(
    (user) => user.type === 'customer' && user.id !== payload.user_id,
  );
  return otherCustomer
    ? new ProtocolError('validation', 'Wrong format of request: a chat has one customer')
    : undefined;
}

function addedMessage(
  chat: ExistingChat,
  thread: ThreadState,
  actor: Actor,
  user: ChatUser,
  at: string,
) {
  const id = nextEventId(thread);
  const initiator = nameOf(actor);
  const added = user.name || user.id;
  const visibility = { visibility: user.visibility ?? 'all' };
  if (user.type === 'customer') {
    return {
      ...systemMessage(id, at, 'customer_added', {
        text: `${initiator} added ${added} to the chat`,
        text_vars: { initiator, customer: added },
      }),
      ...visibility,
    };
  }
  const firstAgent = !chat.users.some((other) => other.type === 'agent' && other.present);
  if (firstAgent) return undefined;
  const joined = actor.id === user.id;
  return {
    ...(joined
      ? systemMessage(id, at, 'agent_joined', {
          text: `${added} joined the chat`,
          text_vars: { agent: added },
        })
      : systemMessage(id, at, 'agent_added', {
          text: `${initiator} added ${added} to the chat`,
          text_vars: { initiator, agent: added },
        })),
    ...visibility,
  };
}

/** Removes an agent (customers stay: the chat is theirs), with `agent_left`/`agent_removed`. */
function decideRemoveUser(
  command: PayloadCommand<'remove_user_from_chat'>,
  state: ChatState,
): Decision {
  const { actor, payload, at } = command;
  const chat = visibleChat(actor, state, payload.chat_id);
  if (chat instanceof ProtocolError) return chat;
  const absent = requirePresence(chat, actor, payload.ignore_requester_presence ?? false);
  if (absent) return absent;
  if (payload.user_type === 'customer') {
    return new ProtocolError('validation', 'A customer cannot be removed from a chat');
  }
  const user = chat.users.find((candidate) => candidate.id === payload.user_id);
  if (user?.type !== 'agent' || !user.present) {
    return new ProtocolError('not_found', 'User is not a present user of this chat');
  }
  const thread = chat.lastThread?.active ? chat.lastThread : undefined;
  const removed = user.name || user.id;
  const initiator = nameOf(actor);
  const message =
    thread &&
    (actor.id === user.id
      ? systemMessage(nextEventId(thread), at, 'agent_left', {
          text: `${removed} left the chat`,
          text_vars: { agent: removed },
        })
      : systemMessage(nextEventId(thread), at, 'agent_removed', {
          text: `${initiator} removed ${removed} from the chat`,
          text_vars: { initiator, agent: removed },
        }));
  return [
    {
      type: 'user_removed',
      occurredAt: at,
      data: { user_id: user.id, reason: 'manual', ...(thread ? { thread_id: thread.id } : {}) },
    },
    ...(thread && message
      ? [eventAdded(thread.id, { ...message, visibility: user.visibility ?? 'all' }, false, at)]
      : []),
  ];
}

/** Following is for agents who are not in the chat; following twice changes nothing. */
function decideFollow(command: PayloadCommand<'follow_chat'>, state: ChatState): Decision {
  const { actor, payload, at } = command;
  const chat = visibleChat(actor, state, payload.id);
  if (chat instanceof ProtocolError) return chat;
  if (chat.followerIds.includes(actor.id)) return [];
  return [{ type: 'chat_followed', occurredAt: at, data: { user_id: actor.id } }];
}

function decideUnfollow(command: PayloadCommand<'unfollow_chat'>, state: ChatState): Decision {
  const { actor, payload, at } = command;
  const chat = visibleChat(actor, state, payload.id);
  if (chat instanceof ProtocolError) return chat;
  if (isPresentUser(chat, actor.id)) {
    return new ProtocolError('validation', 'Chat members cannot unfollow the chat');
  }
  if (!chat.followerIds.includes(actor.id)) return [];
  return [{ type: 'chat_unfollowed', occurredAt: at, data: { user_id: actor.id } }];
}

function nameOf(actor: Actor): string {
  return actor.name || actor.id;
}
