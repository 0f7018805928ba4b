import { type ChatEvent, ProtocolError } from '@threadline/protocol';
import { canSeeChat, isPresentUser } from './chat.access.ts';
import { findThread } from './chat.evolve.ts';
import type { Actor, ChatState, ExistingChat, ThreadState } from './chat.types.ts';

/** The checks deciders share, each returning the chat/thread/event or the error to answer. */

export function visibleChat(
  actor: Actor,
  state: ChatState,
  chatId: string,
): ExistingChat | ProtocolError {
  if (state.status !== 'existing' || state.id !== chatId || !canSeeChat(actor, state)) {
    return new ProtocolError('not_found', 'Chat not found');
  }
  return state;
}

export function threadOf(chat: ExistingChat, threadId: string): ThreadState | ProtocolError {
  return findThread(chat, threadId) ?? new ProtocolError('not_found', 'Thread not found');
}

/**
 * An event the actor may act on: customers see neither agents-only nor deleted events, so to
 * them those do not exist either.
 */
export function eventOf(
  actor: Actor,
  thread: ThreadState,
  eventId: string,
): ChatEvent | ProtocolError {
  const event = thread.events.find((candidate) => candidate.id === eventId);
  const hidden =
    actor.type === 'customer' && (event?.visibility === 'agents' || event?.deleted === true);
  if (!event || hidden) return new ProtocolError('not_found', 'Event not found');
  return event;
}

/** The thread and event a command names (`thread_id`, `event_id`), as `threadOf`/`eventOf`. */
export function eventRef(
  actor: Actor,
  chat: ExistingChat,
  ref: { thread_id: string; event_id: string },
): { thread: ThreadState; event: ChatEvent } | ProtocolError {
  const thread = threadOf(chat, ref.thread_id);
  if (thread instanceof ProtocolError) return thread;
  const event = eventOf(actor, thread, ref.event_id);
  return event instanceof ProtocolError ? event : { thread, event };
}

/** The active thread, or `chat_inactive`. */
export function activeThread(chat: ExistingChat): ThreadState | ProtocolError {
  return chat.lastThread?.active ? chat.lastThread : chatInactive();
}

/**
 * Acting in a chat needs presence in it (spec §7.9); an agent may override with
 * `ignore_requester_presence` where the method has it. Not being present is `missing_access`:
 * the requester may see the chat but may not act in it.
 */
export function requirePresence(
  chat: ExistingChat,
  actor: Actor,
  ignorePresence: boolean,
): ProtocolError | undefined {
  if (actor.type === 'system' || isPresentUser(chat, actor.id)) return undefined;
  if (actor.type === 'agent' && ignorePresence) return undefined;
  return new ProtocolError('missing_access', 'Requester is not a user of this chat');
}

export function chatInactive(): ProtocolError {
  return new ProtocolError('chat_inactive', 'Chat is inactive');
}

export function forbidden(action: string): ProtocolError {
  return new ProtocolError('authorization', `${action} is not allowed for this requester`);
}

/** Methods of the Agent Chat API only; the gateway already keeps customers out of them. */
export function requireAgent(actor: Actor, action: string): ProtocolError | undefined {
  return actor.type === 'agent' ? undefined : forbidden(action);
}
