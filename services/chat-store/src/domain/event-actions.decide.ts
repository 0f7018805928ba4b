import { ProtocolError } from '@threadline/protocol';
import { hasPostbackButton } from './chat.changes.ts';
import type { PayloadCommand } from './chat.commands.ts';
import { eventRef, forbidden, visibleChat } from './chat.guards.ts';
import type { ChatState, Decision } from './chat.types.ts';
import { toProtocolTimestamp } from './timestamps.ts';

type EventActionCommand = PayloadCommand<
  'mark_events_as_seen' | 'send_rich_message_postback' | 'delete_event'
>;

/** Seen state, rich message postbacks and deleting events (spec §2, §3). */
export function decideEventAction(command: EventActionCommand, state: ChatState): Decision {
  switch (command.type) {
    case 'mark_events_as_seen':
      return decideMarkSeen(command, state);
    case 'send_rich_message_postback':
      return decidePostback(command, state);
    case 'delete_event':
      return decideDeleteEvent(command, state);
  }
}

/**
 * Moves the requester's `events_seen_up_to` forward, never back, and never past the command's
 * own time (events after it do not exist yet). Only users of the chat have a seen state.
 */
function decideMarkSeen(
  command: PayloadCommand<'mark_events_as_seen'>,
  state: ChatState,
): Decision {
  const { actor, payload, at } = command;
  const chat = visibleChat(actor, state, payload.chat_id);
  if (chat instanceof ProtocolError) return chat;
  const user = chat.users.find((candidate) => candidate.id === actor.id);
  if (!user) return new ProtocolError('missing_access', 'Requester is not a user of this chat');
  const requested = toProtocolTimestamp(payload.seen_up_to);
  if (!requested) {
    return new ProtocolError('validation', 'Wrong format of request: seen_up_to: invalid date');
  }
  const seenUpTo = earlierOf(requested, at);
  if ((user.events_seen_up_to ?? '') >= seenUpTo) return [];
  return [
    { type: 'events_seen', occurredAt: at, data: { user_id: actor.id, seen_up_to: seenUpTo } },
  ];
}

/**
 * A click on a rich message button. Stored (the button's `user_ids` follow its toggling) and
 * announced on active threads only, as LiveChat does.
 */
function decidePostback(
  command: PayloadCommand<'send_rich_message_postback'>,
  state: ChatState,
): Decision {
  const { actor, payload, at } = command;
  const chat = visibleChat(actor, state, payload.chat_id);
  if (chat instanceof ProtocolError) return chat;
  const found = eventRef(actor, chat, payload);
  if (found instanceof ProtocolError) return found;
  const { thread, event } = found;
  if (event.type !== 'rich_message' || event.deleted) {
    return new ProtocolError('validation', 'Wrong format of request: event is not a rich message');
  }
  if (!hasPostbackButton(event, payload.postback.id)) {
    return new ProtocolError(
      'validation',
      `Wrong format of request: no button of the event has postback id ${payload.postback.id}`,
    );
  }
  const { id, toggled, button_type, button_value, ecommerce } = payload.postback;
  const postback = {
    id,
    toggled,
    ...(button_type !== undefined ? { button_type } : {}),
    ...(button_value !== undefined ? { button_value } : {}),
    ...(ecommerce !== undefined ? { ecommerce } : {}),
  };
  return [
    {
      type: 'postback_sent',
      occurredAt: at,
      data: { thread_id: thread.id, event_id: event.id, user_id: actor.id, postback },
    },
  ];
}

/**
 * A customer deletes an event they wrote. It stays in the thread flagged `deleted`: customers
 * no longer see it, normal agents see a stub, administrators the original (spec §5.3).
 */
function decideDeleteEvent(command: PayloadCommand<'delete_event'>, state: ChatState): Decision {
  const { actor, payload, at } = command;
  if (actor.type !== 'customer') return forbidden('delete_event');
  const chat = visibleChat(actor, state, payload.chat_id);
  if (chat instanceof ProtocolError) return chat;
  const found = eventRef(actor, chat, payload);
  if (found instanceof ProtocolError) return found;
  const { thread, event } = found;
  if (event.author_id !== actor.id) {
    return new ProtocolError('not_allowed', 'Only the author of an event may delete it');
  }
  return [
    { type: 'event_deleted', occurredAt: at, data: { thread_id: thread.id, event_id: event.id } },
  ];
}

/** Protocol timestamps (UTC, fixed width) sort as text. */
function earlierOf(first: string, second: string): string {
  return first.localeCompare(second) <= 0 ? first : second;
}
