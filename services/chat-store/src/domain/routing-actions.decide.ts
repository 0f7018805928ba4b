import { eventId, ProtocolError } from '@threadline/protocol';
import { isPresentUser } from './chat.access.ts';
import { compactUser, eventAdded, nextEventId, systemMessage } from './chat.builders.ts';
import type { ChatCommand } from './chat.commands.ts';
import { forbidden, visibleChat } from './chat.guards.ts';
import type {
  ChatDomainEvent,
  ChatState,
  Decision,
  ExistingChat,
  ThreadState,
} from './chat.types.ts';
import {
  archivedMessage,
  assignedMessage,
  idleMessage,
  type RoutingMessage,
  unassignedMessage,
} from './routing-messages.ts';

type RoutingCommand = Extract<
  ChatCommand,
  { type: 'close_thread_for_routing' | 'unassign_agent' | 'post_system_message' }
>;
type Command<T extends RoutingCommand['type']> = Extract<RoutingCommand, { type: T }>;

/**
 * What the router does to a chat as the system (spec §7.2, §7.6): close an idle or abandoned
 * thread, take it from an agent who is gone (to another agent or back to the queue), post a
 * system message. Each acts only on the thread the router looked at, while it is still active:
 * otherwise `chat_inactive`, which tells the router the chat moved on without it.
 */
export function decideRoutingAction(command: RoutingCommand, state: ChatState): Decision {
  if (command.actor.type !== 'system') return forbidden(command.type);
  const target = routedThread(command, state);
  if (target instanceof ProtocolError) return target;
  switch (command.type) {
    case 'close_thread_for_routing':
      return decideClose(command, target.chat, target.thread);
    case 'unassign_agent':
      return decideUnassign(command, target.chat, target.thread);
    case 'post_system_message':
      return decidePost(command, target.thread);
  }
}

function routedThread(
  command: RoutingCommand,
  state: ChatState,
): { chat: ExistingChat; thread: ThreadState } | ProtocolError {
  const chat = visibleChat(command.actor, state, command.payload.chat_id);
  if (chat instanceof ProtocolError) return chat;
  const thread = chat.lastThread;
  if (thread?.id !== command.payload.thread_id || !thread.active) {
    return new ProtocolError('chat_inactive', 'Thread is no longer active');
  }
  return { chat, thread };
}

/** `chat_deactivated` without `user_id`: the router closed it (spec §4.1). */
function decideClose(
  command: Command<'close_thread_for_routing'>,
  chat: ExistingChat,
  thread: ThreadState,
): Decision {
  const { payload, at } = command;
  if (payload.quiet_since && payload.reason === 'inactive') {
    const spoke = wroteSince(thread, payload.quiet_since, () => true);
    if (spoke) return notQuiet('Thread is not idle');
  }
  if (payload.quiet_since && payload.reason === 'customer_inactive') {
    const customerIds = userIdsOfType(chat, 'customer');
    const spoke = wroteSince(thread, payload.quiet_since, (author) => customerIds.has(author));
    if (spoke) return notQuiet('The customer wrote since');
  }
  const minutes = payload.inactive_minutes ?? 0;
  const agent = payload.agent_id ? displayName(chat, payload.agent_id) : '';
  const messages =
    payload.reason === 'inactive'
      ? [idleMessage(minutes), archivedMessage('inactive', { agent, minutes })]
      : [archivedMessage(payload.reason, { agent, minutes })];
  return [
    ...messagesIn(thread, messages, at),
    { type: 'thread_closed', occurredAt: at, data: { thread_id: thread.id } },
  ];
}

/**
 * The agent leaves with the loss reason as `user_removed_from_chat.reason` (the Customer SDK's
 * list). With `assign_to` the chat is handed over; without it, it waits in its groups again,
 * unless another agent is still in it: then only the agent leaves, the chat is not unattended.
 */
function decideUnassign(
  command: Command<'unassign_agent'>,
  chat: ExistingChat,
  thread: ThreadState,
): Decision {
  const { payload, at } = command;
  if (!isPresentUser(chat, payload.agent_id)) {
    return new ProtocolError('not_found', 'Agent is not in the chat');
  }
  if (payload.quiet_since && payload.reason === 'inactive') {
    const agentIds = userIdsOfType(chat, 'agent');
    if (wroteSince(thread, payload.quiet_since, (author) => agentIds.has(author))) {
      return notQuiet('An agent replied since');
    }
  }
  const removed: ChatDomainEvent = {
    type: 'user_removed',
    occurredAt: at,
    data: { user_id: payload.agent_id, reason: payload.reason, thread_id: thread.id },
  };
  const removedName = displayName(chat, payload.agent_id);
  const minutes = payload.inactive_minutes ?? 0;
  const target = payload.assign_to;
  if (target) {
    const added = target.name || target.id;
    const message = assignedMessage(payload.reason, { added, removed: removedName, minutes });
    const user = compactUser({ ...target, type: 'agent' });
    const joining: ChatDomainEvent[] = isPresentUser(chat, target.id)
      ? []
      : [
          {
            type: 'user_added',
            occurredAt: at,
            data: { user, reason: 'assigned', thread_id: thread.id },
          },
        ];
    const reason = payload.reason === 'inactive' ? 'inactive' : 'assigned';
    return [
      removed,
      ...joining,
      ...messagesIn(thread, [message], at),
      transferred(thread, at, {
        reason,
        transferred_to: { group_ids: [], agent_ids: [target.id] },
      }),
    ];
  }
  const othersStay = chat.users.some(
    (user) => user.type === 'agent' && user.present && user.id !== payload.agent_id,
  );
  // The schema refuses `inactive` without `assign_to` (there is no routing.unassigned_inactive).
  if (othersStay || payload.reason === 'inactive') return [removed];
  return [
    removed,
    ...messagesIn(thread, [unassignedMessage(payload.reason, removedName)], at),
    transferred(thread, at, {
      reason: 'unassigned',
      transferred_to: { group_ids: [...chat.access.group_ids], agent_ids: [] },
      ...(payload.queue ? { queue: payload.queue } : {}),
    }),
  ];
}

function decidePost(command: Command<'post_system_message'>, thread: ThreadState): Decision {
  const { payload, at } = command;
  const message = systemMessage(nextEventId(thread), at, payload.system_message_type, {
    text: payload.text,
    text_vars: payload.text_vars,
  });
  const visibility = payload.recipients === 'agents' ? 'agents' : 'all';
  return [eventAdded(thread.id, { ...message, visibility }, false, at)];
}

type Transfer = Omit<Extract<ChatDomainEvent, { type: 'chat_transferred' }>['data'], 'thread_id'>;

function transferred(thread: ThreadState, at: string, transfer: Transfer): ChatDomainEvent {
  return { type: 'chat_transferred', occurredAt: at, data: { thread_id: thread.id, ...transfer } };
}

/** Consecutive system messages in the thread, each with the next event id. */
function messagesIn(
  thread: ThreadState,
  messages: readonly RoutingMessage[],
  at: string,
): ChatDomainEvent[] {
  return messages.map((message, index) => {
    const id = eventId(thread.id, thread.events.length + 1 + index);
    const event = systemMessage(id, at, message.type, {
      text: message.text,
      text_vars: message.textVars,
    });
    return eventAdded(thread.id, event, false, at);
  });
}

/**
 * Whether a user's own event (not a system message) newer than `since` is in the thread, by an
 * author `counts`. Compared to the millisecond: the router keeps times as dates, and an event in
 * the very millisecond the router saw is the one it saw.
 */
function wroteSince(
  thread: ThreadState,
  since: string,
  counts: (authorId: string) => boolean,
): boolean {
  const after = Date.parse(since);
  return thread.events.some(
    (event) =>
      event.type !== 'system_message' &&
      event.author_id !== undefined &&
      counts(event.author_id) &&
      Date.parse(event.created_at) > after,
  );
}

function userIdsOfType(chat: ExistingChat, type: 'agent' | 'customer'): Set<string> {
  return new Set(chat.users.filter((user) => user.type === type).map((user) => user.id));
}

/** The timer's premise no longer holds: the router's view was behind the thread. */
function notQuiet(message: string): ProtocolError {
  return new ProtocolError('not_allowed', message);
}

function displayName(chat: ExistingChat, userId: string): string {
  return chat.users.find((user) => user.id === userId)?.name || userId;
}
