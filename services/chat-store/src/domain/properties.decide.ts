import { type Properties, ProtocolError } from '@threadline/protocol';
import { presentNames } from './chat.changes.ts';
import type { PayloadCommand } from './chat.commands.ts';
import { eventRef, threadOf, visibleChat } from './chat.guards.ts';
import type { ChatState, Decision, PropertyNames } from './chat.types.ts';

type PropertyCommand = PayloadCommand<
  | 'update_chat_properties'
  | 'delete_chat_properties'
  | 'update_thread_properties'
  | 'delete_thread_properties'
  | 'update_event_properties'
  | 'delete_event_properties'
>;

/**
 * Chat, thread and event properties (spec §2; the same for customers, who reach only their own
 * chat and the events they can see). Any thread or event of the chat may be changed, active or
 * not. An update stores the properties it sets; a delete only the names that exist, and nothing
 * at all when none do (so no push announces a change that did not happen).
 */
export function decideProperties(command: PropertyCommand, state: ChatState): Decision {
  const { actor, at } = command;
  const chatId = command.type.endsWith('_chat_properties')
    ? (command.payload as { id: string }).id
    : (command.payload as { chat_id: string }).chat_id;
  const chat = visibleChat(actor, state, chatId);
  if (chat instanceof ProtocolError) return chat;
  switch (command.type) {
    case 'update_chat_properties':
      return updated(command.payload.properties, (properties) => [
        { type: 'chat_properties_updated', occurredAt: at, data: { properties } },
      ]);
    case 'delete_chat_properties':
      return deleted(chat.properties, command.payload.properties, (properties) => [
        { type: 'chat_properties_deleted', occurredAt: at, data: { properties } },
      ]);
    case 'update_thread_properties':
    case 'delete_thread_properties': {
      const thread = threadOf(chat, command.payload.thread_id);
      if (thread instanceof ProtocolError) return thread;
      const ref = { thread_id: thread.id };
      return command.type === 'update_thread_properties'
        ? updated(command.payload.properties, (properties) => [
            { type: 'thread_properties_updated', occurredAt: at, data: { ...ref, properties } },
          ])
        : deleted(thread.properties, command.payload.properties, (properties) => [
            { type: 'thread_properties_deleted', occurredAt: at, data: { ...ref, properties } },
          ]);
    }
    case 'update_event_properties':
    case 'delete_event_properties': {
      const found = eventRef(actor, chat, command.payload);
      if (found instanceof ProtocolError) return found;
      const { event } = found;
      const ref = { thread_id: found.thread.id, event_id: event.id };
      return command.type === 'update_event_properties'
        ? updated(command.payload.properties, (properties) => [
            { type: 'event_properties_updated', occurredAt: at, data: { ...ref, properties } },
          ])
        : deleted(event.properties ?? {}, command.payload.properties, (properties) => [
            { type: 'event_properties_deleted', occurredAt: at, data: { ...ref, properties } },
          ]);
    }
  }
}

function updated(properties: Properties, events: (properties: Properties) => Decision): Decision {
  const given = Object.fromEntries(
    Object.entries(properties).filter(([, values]) => Object.keys(values).length > 0),
  );
  return Object.keys(given).length ? events(given) : [];
}

function deleted(
  current: Properties,
  names: PropertyNames,
  events: (names: PropertyNames) => Decision,
): Decision {
  const present = presentNames(current, names);
  return Object.keys(present).length ? events(present) : [];
}
