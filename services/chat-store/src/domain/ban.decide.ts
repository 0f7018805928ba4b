import { ProtocolError } from '@threadline/protocol';
import { eventAdded, nextEventId, systemMessage } from './chat.builders.ts';
import type { ChatCommand } from './chat.commands.ts';
import { forbidden, visibleChat } from './chat.guards.ts';
import type { ChatState, Decision } from './chat.types.ts';

type CloseForBan = Extract<ChatCommand, { type: 'close_thread_for_ban' }>;

/**
 * A banned customer's active chat is closed with the `customer_banned` system message (spec
 * §7.12). Only the gateway (a system requester) asks, after it stored the ban. The thread is
 * closed in the banning agent's name: `chat_deactivated` carries that agent as `user_id`, as when
 * an agent closes a chat itself, so clients show who ended it.
 */
export function decideCloseForBan(command: CloseForBan, state: ChatState): Decision {
  const { actor, payload, at } = command;
  if (actor.type !== 'system') return forbidden('close_thread_for_ban');
  const chat = visibleChat(actor, state, payload.chat_id);
  if (chat instanceof ProtocolError) return chat;
  if (!chat.users.some((user) => user.id === payload.customer_id && user.type === 'customer')) {
    return new ProtocolError('not_found', 'Customer not found in chat');
  }
  const thread = chat.lastThread;
  if (thread?.id !== payload.thread_id || !thread.active) {
    return new ProtocolError('chat_inactive', 'Thread is no longer active');
  }
  const agent = payload.banned_by.name || payload.banned_by.id;
  const days = String(payload.days);
  const message = systemMessage(nextEventId(thread), at, 'customer_banned', {
    text: `Customer was banned by ${agent} for ${days} days`,
    text_vars: { agent, days },
  });
  return [
    eventAdded(thread.id, message, false, at),
    {
      type: 'thread_closed',
      occurredAt: at,
      data: { thread_id: thread.id, user_id: payload.banned_by.id },
    },
  ];
}
