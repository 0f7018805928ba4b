import type { PropertyNames, PropertyValues, PropertyWrite } from '@threadline/accounts';

type Payload = Record<string, unknown>;
type WithProperties = { properties?: PropertyValues } | undefined;

const updates: Record<string, PropertyWrite['location']> = {
  update_chat_properties: 'chat',
  update_thread_properties: 'thread',
  update_event_properties: 'event',
};

const deletions: Record<string, PropertyWrite['location']> = {
  delete_chat_properties: 'chat',
  delete_thread_properties: 'thread',
  delete_event_properties: 'event',
};

/**
 * The chat, thread and event property changes a validated request of the chat APIs makes: the
 * six property methods, the chat, thread and event properties `start_chat` / `resume_chat` start
 * with, and the properties of an event `send_event` posts. Nothing for any other method.
 */
export function propertyWritesOf(method: string, payload: unknown): PropertyWrite[] {
  const body = payload as Payload;
  const updated = updates[method];
  if (updated) return given(updated, body as WithProperties);
  const deleted = deletions[method];
  if (deleted) {
    const names = body.properties as PropertyNames;
    return isEmpty(names) ? [] : [{ location: deleted, names }];
  }
  if (method === 'send_event') return given('event', body.event as WithProperties);
  if (method === 'start_chat' || method === 'resume_chat') {
    const chat = body.chat as (WithProperties & { thread?: Payload }) | undefined;
    const thread = chat?.thread as (WithProperties & { events?: WithProperties[] }) | undefined;
    return [
      ...given('chat', chat),
      ...given('thread', thread),
      ...(thread?.events ?? []).flatMap((event) => given('event', event)),
    ];
  }
  return [];
}

function given(location: PropertyWrite['location'], holder: WithProperties): PropertyWrite[] {
  return holder?.properties && !isEmpty(holder.properties)
    ? [{ location, values: holder.properties }]
    : [];
}

/** A change naming no property at all asks for nothing to be checked. */
function isEmpty(properties: PropertyValues | PropertyNames): boolean {
  return Object.values(properties).every((entry) => Object.keys(entry).length === 0);
}
