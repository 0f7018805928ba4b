import {
  type Access,
  type EventRequest,
  eventId,
  type MethodPayload,
  type Properties,
  ProtocolError,
} from '@threadline/protocol';
import { decideCloseForBan } from './ban.decide.ts';
import { defaultAccess, isPresentUser, presentUserIds } from './chat.access.ts';
import {
  archivedMessage,
  buildEvent,
  compactUser,
  eventAdded,
  eventsSeen,
  listedUsers,
  nextEventId,
  requesterUser,
  systemMessage,
  type UserRef,
  userAdded,
} from './chat.builders.ts';
import type { ChatCommand } from './chat.commands.ts';
import { assertNever, fold } from './chat.evolve.ts';
import { chatInactive, forbidden, requirePresence, visibleChat } from './chat.guards.ts';
import type {
  Actor,
  ChatDomainEvent,
  ChatState,
  Decision,
  ExistingChat,
  ThreadState,
} from './chat.types.ts';
import { decideEventAction } from './event-actions.decide.ts';
import { decideParticipants } from './participants.decide.ts';
import { decideProperties } from './properties.decide.ts';
import { decideRoutingAction } from './routing-actions.decide.ts';
import { decideSignal } from './signals.decide.ts';
import { decideThreadAction } from './thread-actions.decide.ts';
import { decideTransfer } from './transfer.decide.ts';

type Command<T extends ChatCommand['type']> = Extract<ChatCommand, { type: T }>;
type ThreadRequest = NonNullable<NonNullable<MethodPayload<'start_chat'>['chat']>['thread']>;

/**
 * The chat aggregate's rules (spec §2, §3, §7). Returns the events a command causes, an empty list
 * when it changes nothing, or the ProtocolError the caller must hear.
 */
export function decide(command: ChatCommand, state: ChatState): Decision {
  switch (command.type) {
    case 'start_chat':
      return decideStart(command, state);
    case 'resume_chat':
      return decideResume(command, state);
    case 'send_event':
      return decideSendEvent(command, state);
    case 'deactivate_chat':
      return decideDeactivate(command, state);
    case 'assign_agent':
      return decideAssign(command, state);
    case 'close_thread_for_ban':
      return decideCloseForBan(command, state);
    case 'close_thread_for_routing':
    case 'unassign_agent':
    case 'post_system_message':
      return decideRoutingAction(command, state);
    case 'add_user_to_chat':
    case 'remove_user_from_chat':
    case 'follow_chat':
    case 'unfollow_chat':
      return decideParticipants(command, state);
    case 'update_chat_properties':
    case 'delete_chat_properties':
    case 'update_thread_properties':
    case 'delete_thread_properties':
    case 'update_event_properties':
    case 'delete_event_properties':
      return decideProperties(command, state);
    case 'mark_events_as_seen':
    case 'send_rich_message_postback':
    case 'delete_event':
      return decideEventAction(command, state);
    case 'tag_thread':
    case 'untag_thread':
    case 'request_thread_summary':
      return decideThreadAction(command, state);
    case 'send_typing_indicator':
    case 'send_thinking_indicator':
    case 'send_sneak_peek':
    case 'send_event_preview':
      return decideSignal(command, state);
    case 'transfer_chat':
      return decideTransfer(command, state);
    default:
      return assertNever(command);
  }
}

/**
 * Without Messaging Mode a customer has one chat per organization and returns to it with
 * resume_chat. A second start_chat is answered `validation` (LiveChat publishes no dedicated error
 * for it); the message tells the client what to do instead.
 */
export const useResumeChatMessage =
  'Customer already has a chat; use resume_chat to start a new thread in it';

function decideStart(command: Command<'start_chat'>, state: ChatState): Decision {
  const { actor, payload, at } = command;
  if (actor.type === 'system') return forbidden('start_chat');
  if (state.status === 'existing') {
    return new ProtocolError(
      'validation',
      actor.type === 'customer' ? useResumeChatMessage : 'Chat already exists',
    );
  }
  const request = payload.chat ?? {};
  const invalid = checkEvents(actor, request.thread?.events) ?? checkUsers(actor, request.users);
  if (invalid) return invalid;
  const access = request.access ?? defaultAccess(actor);
  const created: ChatDomainEvent = {
    type: 'chat_created',
    occurredAt: at,
    data: {
      chat_id: command.chatId,
      organization_id: actor.organizationId,
      properties: withSource(withContinuous(request.properties ?? {}, payload.continuous), actor),
      access,
    },
  };
  const joined = [
    userAdded(requesterUser(actor), at),
    ...listedUsers(actor, request.users).map((user) => userAdded(user, at)),
  ];
  return openThread(fold([created, ...joined]), [created, ...joined], {
    threadId: command.threadId,
    at,
    actor,
    access,
    active: payload.active ?? true,
    request: request.thread,
  });
}

function decideResume(command: Command<'resume_chat'>, state: ChatState): Decision {
  const { actor, payload, at } = command;
  if (actor.type === 'system') return forbidden('resume_chat');
  const chat = visibleChat(actor, state, payload.chat.id);
  if (chat instanceof ProtocolError) return chat;
  if (chat.lastThread?.active) {
    return new ProtocolError('validation', 'Chat is already active; it has an active thread');
  }
  const request = payload.chat;
  const invalid = checkEvents(actor, request.thread?.events) ?? checkUsers(actor, request.users);
  if (invalid) return invalid;
  const updated = chatUpdate(chat, request.properties, request.access, payload.continuous, at);
  const joined = [requesterUser(actor), ...listedUsers(actor, request.users)]
    .filter((user) => !isPresentUser(chat, user.id))
    .map((user) => userAdded(user, at));
  const before = [...updated, ...joined];
  return openThread(fold(before, chat), before, {
    threadId: command.threadId,
    at,
    actor,
    access: request.access ?? chat.access,
    active: payload.active ?? true,
    request: request.thread,
    previousThreadId: chat.lastThread?.id,
  });
}

function decideSendEvent(command: Command<'send_event'>, state: ChatState): Decision {
  const { actor, payload, at } = command;
  const chat = visibleChat(actor, state, payload.chat_id);
  if (chat instanceof ProtocolError) return chat;
  const invalid = checkEvents(actor, [payload.event]);
  if (invalid) return invalid;
  const thread = targetThread(chat, actor, payload.attach_to_last_thread ?? false);
  if (thread instanceof ProtocolError) return thread;
  const absent = requirePresence(chat, actor, false);
  if (absent) return absent;
  const sender = chat.users.find((user) => user.id === actor.id);
  if (sender?.visibility === 'agents' && (payload.event.visibility ?? 'all') === 'all') {
    return new ProtocolError(
      'validation',
      'A user with agents visibility cannot send events to all',
    );
  }
  const event = buildEvent(payload.event, nextEventId(thread), at, actor.id);
  // Whoever writes has read everything before it (spec §7.10).
  return [eventAdded(thread.id, event, true, at), eventsSeen(actor.id, at)];
}

function decideDeactivate(command: Command<'deactivate_chat'>, state: ChatState): Decision {
  const { actor, payload, at } = command;
  const chat = visibleChat(actor, state, payload.id);
  if (chat instanceof ProtocolError) return chat;
  const thread = chat.lastThread;
  if (!thread?.active) return chatInactive();
  const absent = requirePresence(chat, actor, payload.ignore_requester_presence ?? false);
  if (absent) return absent;
  const closedBy = actor.type === 'system' ? {} : { user_id: actor.id };
  return [
    eventAdded(thread.id, archivedMessage(actor, nextEventId(thread), at), false, at),
    { type: 'thread_closed', occurredAt: at, data: { thread_id: thread.id, ...closedBy } },
  ];
}

function decideAssign(command: Command<'assign_agent'>, state: ChatState): Decision {
  const { actor, payload, at } = command;
  if (actor.type !== 'system') return forbidden('assign_agent');
  const chat = visibleChat(actor, state, payload.chat_id);
  if (chat instanceof ProtocolError) return chat;
  const thread = chat.lastThread;
  if (thread?.id !== payload.thread_id || !thread.active) {
    return new ProtocolError('chat_inactive', 'Thread is no longer active');
  }
  // Already there (a redelivered assignment, or the agent joined by itself): nothing to do.
  if (isPresentUser(chat, payload.agent.id)) return [];
  const { id, name, email, avatar } = payload.agent;
  const agent = compactUser({ id, type: 'agent', name, email, avatar });
  const message = systemMessage(nextEventId(thread), at, 'routing.assigned', {
    text: `${name || id} is now assigned to the chat`,
    text_vars: { agent: name || id },
  });
  return [
    {
      type: 'user_added',
      occurredAt: at,
      data: { user: agent, reason: 'assigned', thread_id: thread.id },
    },
    eventAdded(thread.id, message, false, at),
  ];
}

interface ThreadOpening {
  threadId: string;
  at: string;
  actor: Actor;
  access: Access;
  active: boolean;
  request: ThreadRequest | undefined;
  previousThreadId?: string | undefined;
}

/** `thread_opened` with the users present at that point, then the request's events in it. */
function openThread(
  chat: ChatState,
  before: ChatDomainEvent[],
  opening: ThreadOpening,
): ChatDomainEvent[] {
  const { threadId, at, actor } = opening;
  const opened: ChatDomainEvent = {
    type: 'thread_opened',
    occurredAt: at,
    data: {
      thread_id: threadId,
      ...(opening.previousThreadId ? { previous_thread_id: opening.previousThreadId } : {}),
      properties: opening.request?.properties ?? {},
      access: opening.access,
      user_ids: chat.status === 'existing' ? presentUserIds(chat) : [],
      active: opening.active,
    },
  };
  const events = (opening.request?.events ?? []).map((request, index) =>
    eventAdded(threadId, buildEvent(request, eventId(threadId, index + 1), at, actor.id), true, at),
  );
  // The requester of start/resume has seen the whole new thread (spec §7.10).
  return [...before, opened, ...events, eventsSeen(actor.id, at)];
}

function chatUpdate(
  chat: ExistingChat,
  properties: Properties | undefined,
  access: Access | undefined,
  continuous: boolean | undefined,
  at: string,
): ChatDomainEvent[] {
  if (!properties && !access && continuous === undefined) return [];
  const merged = withContinuous({ ...chat.properties, ...properties }, continuous);
  return [
    {
      type: 'chat_updated',
      occurredAt: at,
      data: { properties: merged, ...(access ? { access } : {}) },
    },
  ];
}

/** Messaging Mode is recorded as the chat property LiveChat uses for it, `routing.continuous`. */
/**
 * LiveChat's default property `source.client_id`: the app (OAuth client) the chat was started
 * with, which `only_my_chats` webhook filters match. Set by the platform, so a client cannot
 * claim another's chats; absent when the token has no client (personal access tokens).
 */
function withSource(properties: Properties, actor: Actor): Properties {
  if (!actor.clientId) return properties;
  return { ...properties, source: { ...properties.source, client_id: actor.clientId } };
}

function withContinuous(properties: Properties, continuous: boolean | undefined): Properties {
  if (continuous === undefined) return properties;
  return { ...properties, routing: { ...properties.routing, continuous } };
}

/** Events go to the active thread; a customer may ask to append to the last, inactive one. */
function targetThread(
  chat: ExistingChat,
  actor: Actor,
  attachToLastThread: boolean,
): ThreadState | ProtocolError {
  const thread = chat.lastThread;
  if (thread?.active) return thread;
  if (thread && attachToLastThread && actor.type === 'customer') return thread;
  return chatInactive();
}

function checkEvents(actor: Actor, events: readonly EventRequest[] | undefined) {
  if (actor.type !== 'customer') return undefined;
  if (!events?.some((event) => event.visibility === 'agents')) return undefined;
  return new ProtocolError(
    'validation',
    'Wrong format of request: customers cannot send events with visibility agents',
  );
}

/** Only agents bring other users into a chat, and a chat has at most one customer. */
function checkUsers(actor: Actor, users: readonly UserRef[] | undefined) {
  if (actor.type !== 'agent' || !users) return undefined;
  if (users.filter((user) => user.type === 'customer').length <= 1) return undefined;
  return new ProtocolError('validation', 'Wrong format of request: a chat has one customer');
}
