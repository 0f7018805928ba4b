import { type ChatEvent, ProtocolError } from '@threadline/protocol';
import { eventAdded, nextEventId, notificationOf } from './chat.builders.ts';
import type { PayloadCommand } from './chat.commands.ts';
import { requireAgent, threadOf, visibleChat } from './chat.guards.ts';
import type { Actor, ChatState, Decision, ExistingChat, ThreadState } from './chat.types.ts';
import { summarizeThread } from './thread-summary.ts';

type ThreadActionCommand = PayloadCommand<'tag_thread' | 'untag_thread' | 'request_thread_summary'>;

/** Tags and summaries of any thread of the chat (spec §2); the Agent Chat API only. */
export function decideThreadAction(command: ThreadActionCommand, state: ChatState): Decision {
  const { actor, payload, at } = command;
  const denied = requireAgent(actor, command.type);
  if (denied) return denied;
  const chat = visibleChat(actor, state, payload.chat_id);
  if (chat instanceof ProtocolError) return chat;
  const thread = threadOf(chat, payload.thread_id);
  if (thread instanceof ProtocolError) return thread;
  switch (command.type) {
    case 'tag_thread': {
      // Whether the tag exists is configuration the gateway checks before forwarding.
      const { tag } = command.payload;
      if (thread.tags.includes(tag)) return [];
      return [{ type: 'thread_tagged', occurredAt: at, data: { thread_id: thread.id, tag } }];
    }
    case 'untag_thread': {
      const { tag } = command.payload;
      if (!thread.tags.includes(tag)) {
        return new ProtocolError('not_found', `Thread is not tagged with ${tag}`);
      }
      return [{ type: 'thread_untagged', occurredAt: at, data: { thread_id: thread.id, tag } }];
    }
    case 'request_thread_summary':
      return decideSummary(actor, chat, thread, at);
  }
}

/**
 * LiveChat summarizes an inactive thread once (`thread_summary_set`), and an active one as often
 * as asked, each time as a `messaging`/`summary` system event in the thread. A thread with
 * nothing to summarize gets the asynchronous failure push, `incoming_error`, and may be asked
 * again.
 */
function decideSummary(
  actor: Actor,
  chat: ExistingChat,
  thread: ThreadState,
  at: string,
): Decision {
  if (!thread.active && thread.summary) {
    return new ProtocolError('validation', 'An inactive thread is summarized only once');
  }
  const text = summarizeThread(thread.events, chat.users);
  if (!text) {
    const payload = { action: 'set_thread_summary', chat_id: chat.id, thread_id: thread.id };
    const flags = { pushOnly: true, agentsOnly: true };
    return { signals: [notificationOf(chat, 'incoming_error', payload, [actor.id], flags)] };
  }
  if (!thread.active) {
    const summary = { status: 'ok' as const, text, updated_at: at };
    return [
      { type: 'thread_summary_set', occurredAt: at, data: { thread_id: thread.id, summary } },
    ];
  }
  const event: ChatEvent = {
    id: nextEventId(thread),
    created_at: at,
    type: 'system',
    source: 'messaging',
    subtype: 'summary',
    version: 1,
    details: JSON.stringify({ summary: { text, status: 'ok' }, requested_by: actor.id }),
    visibility: 'agents',
  };
  return [eventAdded(thread.id, event, false, at)];
}
