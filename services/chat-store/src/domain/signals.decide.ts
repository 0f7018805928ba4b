import { ProtocolError } from '@threadline/protocol';
import { notificationOf } from './chat.builders.ts';
import type { PayloadCommand } from './chat.commands.ts';
import {
  activeThread,
  forbidden,
  requireAgent,
  requirePresence,
  visibleChat,
} from './chat.guards.ts';
import type { Actor, ChatState, Decision, ExistingChat, ThreadState } from './chat.types.ts';

type SignalCommand = PayloadCommand<
  'send_typing_indicator' | 'send_thinking_indicator' | 'send_sneak_peek' | 'send_event_preview'
>;

/**
 * What users see of each other while they write: nothing is stored, the pushes go out at once
 * (spec §2, §3, §4). Each needs the active thread and, but for sneak peeks, a present requester.
 */
export function decideSignal(command: SignalCommand, state: ChatState): Decision {
  const { actor, payload } = command;
  const chat = visibleChat(actor, state, payload.chat_id);
  if (chat instanceof ProtocolError) return chat;
  const thread = activeThread(chat);
  if (thread instanceof ProtocolError) return thread;
  if (command.type === 'send_sneak_peek') {
    if (actor.type !== 'customer') return forbidden(command.type);
    return sneakPeek(chat, thread, actor, command.payload.sneak_peek_text, command.at);
  }
  const absent = requirePresence(chat, actor, false);
  if (absent) return absent;
  switch (command.type) {
    case 'send_typing_indicator':
      return typingIndicator(chat, thread, actor, command);
    case 'send_thinking_indicator':
      return requireAgent(actor, command.type) ?? thinkingIndicator(chat, thread, actor, command);
    case 'send_event_preview':
      return requireAgent(actor, command.type) ?? eventPreview(chat, thread, actor, command);
  }
}

/** `incoming_typing_indicator` to the other users; `agents` visibility keeps it from customers. */
function typingIndicator(
  chat: ExistingChat,
  thread: ThreadState,
  actor: Actor,
  command: PayloadCommand<'send_typing_indicator'>,
): Decision {
  const visibility = visibilityOf(chat, actor, command.payload.visibility);
  const payload = {
    chat_id: chat.id,
    thread_id: thread.id,
    typing_indicator: {
      author_id: actor.id,
      visibility,
      timestamp: unixSeconds(command.at),
      is_typing: command.payload.is_typing,
    },
  };
  return signal(chat, 'incoming_typing_indicator', payload, othersPresent(chat, actor), visibility);
}

function thinkingIndicator(
  chat: ExistingChat,
  thread: ThreadState,
  actor: Actor,
  command: PayloadCommand<'send_thinking_indicator'>,
): Decision {
  const { title, description, custom_id } = command.payload;
  const visibility = visibilityOf(chat, actor, command.payload.visibility);
  const payload = {
    chat_id: chat.id,
    thread_id: thread.id,
    author_id: actor.id,
    sent_at: command.at,
    ...(title !== undefined ? { title } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(custom_id !== undefined ? { custom_id } : {}),
  };
  return signal(
    chat,
    'incoming_thinking_indicator',
    payload,
    othersPresent(chat, actor),
    visibility,
  );
}

/** What the customer is typing, for the agents (and followers) of the chat. */
function sneakPeek(
  chat: ExistingChat,
  thread: ThreadState,
  actor: Actor,
  text: string,
  at: string,
): Decision {
  const payload = {
    chat_id: chat.id,
    thread_id: thread.id,
    sneak_peek: { author_id: actor.id, text, timestamp: unixSeconds(at) },
  };
  const agents = chat.users.filter((user) => user.type === 'agent' && user.present);
  return signal(
    chat,
    'incoming_sneak_peek',
    payload,
    agents.map((user) => user.id),
    'agents',
  );
}

/** A message an agent is still writing, shown to the customer only (agents have no such push). */
function eventPreview(
  chat: ExistingChat,
  thread: ThreadState,
  actor: Actor,
  command: PayloadCommand<'send_event_preview'>,
): Decision {
  const { text, custom_id } = command.payload.event;
  const payload = {
    chat_id: chat.id,
    thread_id: thread.id,
    event: {
      created_at: command.at,
      type: 'message',
      text,
      author_id: actor.id,
      ...(custom_id !== undefined ? { custom_id } : {}),
    },
  };
  const customers = chat.users.filter((user) => user.type === 'customer' && user.present);
  const recipients = customers.map((user) => user.id);
  // Direct: followers are agents, and agents have no such push.
  const direct = { pushOnly: true };
  return { signals: [notificationOf(chat, 'incoming_event_preview', payload, recipients, direct)] };
}

function signal(
  chat: ExistingChat,
  action: string,
  payload: Record<string, unknown>,
  recipientUserIds: string[],
  visibility: 'all' | 'agents',
): Decision {
  return {
    signals: [
      notificationOf(chat, action, payload, recipientUserIds, {
        agentsOnly: visibility === 'agents',
      }),
    ],
  };
}

/** A user with `agents` visibility is never heard by the customer, whatever they ask for. */
function visibilityOf(
  chat: ExistingChat,
  actor: Actor,
  requested: 'all' | 'agents' | undefined,
): 'all' | 'agents' {
  if (actor.type === 'customer') return 'all';
  const sender = chat.users.find((user) => user.id === actor.id);
  return sender?.visibility === 'agents' ? 'agents' : (requested ?? 'all');
}

function othersPresent(chat: ExistingChat, actor: Actor): string[] {
  return chat.users.filter((user) => user.present && user.id !== actor.id).map((user) => user.id);
}

function unixSeconds(at: string): number {
  return Math.floor(Date.parse(at) / 1000);
}
