import type { ChatEvent, ChatUser, Properties } from '@threadline/protocol';
import type { ChatDomainEvent, PropertyNames, ThreadSummaryText } from './chat.types.ts';

/**
 * The changes events make to parts of a chat, as pure functions shared by the aggregate's fold
 * and the projections' folds, so both read the stream the same way.
 */

/** Sets the given properties, namespace by namespace, keeping the others. */
export function mergeProperties(base: Properties, update: Properties): Properties {
  const merged: Properties = { ...base };
  for (const [namespace, values] of Object.entries(update)) {
    merged[namespace] = { ...base[namespace], ...values };
  }
  return merged;
}

/** Drops the named properties; a namespace left empty goes too. */
export function removeProperties(base: Properties, names: PropertyNames): Properties {
  const kept: Properties = { ...base };
  for (const [namespace, removed] of Object.entries(names)) {
    const values = base[namespace];
    if (!values) continue;
    const rest = Object.fromEntries(
      Object.entries(values).filter(([name]) => !removed.includes(name)),
    );
    if (Object.keys(rest).length) kept[namespace] = rest;
    else delete kept[namespace];
  }
  return kept;
}

/** The part of `names` that `properties` has: what a delete actually removes. */
export function presentNames(properties: Properties, names: PropertyNames): PropertyNames {
  const present: PropertyNames = {};
  for (const [namespace, wanted] of Object.entries(names)) {
    const values = properties[namespace] ?? {};
    const found = [...new Set(wanted)].filter((name) => Object.hasOwn(values, name));
    if (found.length) present[namespace] = found;
  }
  return present;
}

/** A user has seen events up to the latest time they marked (seen state never moves back). */
export function withSeen(users: readonly ChatUser[], userId: string, seenUpTo: string): ChatUser[] {
  return users.map((user) =>
    user.id === userId && (user.events_seen_up_to ?? '') < seenUpTo
      ? { ...user, events_seen_up_to: seenUpTo }
      : user,
  );
}

/** A user is no longer present; they stay in the chat's users, as LiveChat keeps them. */
export function withoutPresence(users: readonly ChatUser[], userId: string): ChatUser[] {
  return users.map((user) => (user.id === userId ? { ...user, present: false } : user));
}

export type EventChange = Extract<
  ChatDomainEvent,
  {
    type:
      | 'event_properties_updated'
      | 'event_properties_deleted'
      | 'event_deleted'
      | 'postback_sent';
  }
>;

export function isEventChange(event: ChatDomainEvent): event is EventChange {
  return (
    event.type === 'event_properties_updated' ||
    event.type === 'event_properties_deleted' ||
    event.type === 'event_deleted' ||
    event.type === 'postback_sent'
  );
}

/** An event after a change to it. */
export function changeEvent(event: ChatEvent, change: EventChange): ChatEvent {
  switch (change.type) {
    case 'event_properties_updated':
      return {
        ...event,
        properties: mergeProperties(event.properties ?? {}, change.data.properties),
      };
    case 'event_properties_deleted':
      return {
        ...event,
        properties: removeProperties(event.properties ?? {}, change.data.properties),
      };
    case 'event_deleted':
      return { ...event, deleted: true };
    case 'postback_sent':
      return withToggledButton(
        event,
        change.data.postback.id,
        change.data.user_id,
        change.data.postback.toggled,
      );
  }
}

type Button = { postback_id?: unknown; user_ids?: unknown };

/** The rich message's buttons with this postback id list the user while toggled on. */
function withToggledButton(
  event: ChatEvent,
  postbackId: string,
  userId: string,
  toggled: boolean,
): ChatEvent {
  const elements = event.elements as { buttons?: Button[] }[] | undefined;
  if (!Array.isArray(elements)) return event;
  const toggle = (button: Button): Button => {
    if (button.postback_id !== postbackId) return button;
    const others = (Array.isArray(button.user_ids) ? (button.user_ids as string[]) : []).filter(
      (id) => id !== userId,
    );
    return { ...button, user_ids: toggled ? [...others, userId] : others };
  };
  return {
    ...event,
    elements: elements.map((element) =>
      Array.isArray(element.buttons)
        ? { ...element, buttons: element.buttons.map(toggle) }
        : element,
    ),
  };
}

/** Whether a rich message has a button sending this postback id. */
export function hasPostbackButton(event: ChatEvent, postbackId: string): boolean {
  const elements = event.elements as { buttons?: Button[] }[] | undefined;
  return (
    Array.isArray(elements) &&
    elements.some(
      (element) =>
        Array.isArray(element.buttons) &&
        element.buttons.some((button) => button.postback_id === postbackId),
    )
  );
}

export type ThreadChange = Extract<
  ChatDomainEvent,
  {
    type:
      | 'thread_properties_updated'
      | 'thread_properties_deleted'
      | 'thread_tagged'
      | 'thread_untagged'
      | 'thread_summary_set';
  }
>;

export function isThreadChange(event: ChatDomainEvent): event is ThreadChange {
  return (
    event.type === 'thread_properties_updated' ||
    event.type === 'thread_properties_deleted' ||
    event.type === 'thread_tagged' ||
    event.type === 'thread_untagged' ||
    event.type === 'thread_summary_set'
  );
}

/** The parts of a thread that thread changes touch, in the aggregate and in the projection. */
interface ChangeableThread {
  properties: Properties;
  tags: string[];
  summary?: ThreadSummaryText;
}

export function changeThread<T extends ChangeableThread>(thread: T, change: ThreadChange): T {
  switch (change.type) {
    case 'thread_properties_updated':
      return { ...thread, properties: mergeProperties(thread.properties, change.data.properties) };
    case 'thread_properties_deleted':
      return { ...thread, properties: removeProperties(thread.properties, change.data.properties) };
    case 'thread_tagged':
      return thread.tags.includes(change.data.tag)
        ? thread
        : { ...thread, tags: [...thread.tags, change.data.tag] };
    case 'thread_untagged':
      return { ...thread, tags: thread.tags.filter((tag) => tag !== change.data.tag) };
    case 'thread_summary_set':
      return { ...thread, summary: change.data.summary };
  }
}
