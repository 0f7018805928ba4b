/** Protocol data structures (spec §5), as they travel on the wire in API 3.6. */
export type Visibility = 'all' | 'agents';
export type UserType = 'agent' | 'customer';
export type Properties = Record<string, Record<string, unknown>>;

export interface Access {
  group_ids: number[];
}

export interface ChatUser {
  id: string;
  type: UserType;
  name?: string;
  email?: string;
  avatar?: string;
  present: boolean;
  events_seen_up_to?: string;
  visibility?: Visibility;
}

export type EventType =
  | 'message'
  | 'rich_message'
  | 'file'
  | 'form'
  | 'filled_form'
  | 'system_message'
  | 'custom'
  /** Read-only in 3.6: written by the platform (e.g. `messaging`/`summary`), never by clients. */
  | 'system';

/** An event as stored and returned: the request fields plus id, created_at and author. */
export interface ChatEvent {
  id: string;
  custom_id?: string;
  created_at: string;
  type: EventType;
  author_id?: string;
  visibility: Visibility;
  properties?: Properties;
  /** Present on deleted events, as administrators see them (normal agents get a stub). */
  deleted?: true;
  [field: string]: unknown;
}

export interface Thread {
  id: string;
  active: boolean;
  user_ids: string[];
  events: ChatEvent[];
  properties: Properties;
  access: Access;
  tags: string[];
  created_at: string;
  previous_thread_id?: string;
  next_thread_id?: string;
  /** Agent view only: the summary `request_thread_summary` set on an inactive thread. */
  summary?: ThreadSummaryText;
}

export interface ThreadSummaryText {
  status: 'ok' | 'error';
  text: string;
  updated_at: string;
}

export interface Chat {
  id: string;
  thread?: Thread;
  users: ChatUser[];
  properties: Properties;
  access: Access;
  is_followed?: boolean;
}

export interface ThreadSummary {
  id: string;
  created_at: string;
  user_ids: string[];
  properties: Properties;
  active: boolean;
  access: Access;
}

export interface LastEventOfType {
  thread_id: string;
  thread_created_at: string;
  event: ChatEvent;
}

/** The agent API's chat summary, as in `list_chats` and the agent login response. */
export interface ChatSummary {
  id: string;
  last_thread_summary?: ThreadSummary;
  last_event_per_type: Record<string, LastEventOfType>;
  users: ChatUser[];
  properties: Properties;
  access: Access;
  is_followed: boolean;
}

/** The customer API's chat summary. */
export interface CustomerChatSummary {
  id: string;
  last_thread_id?: string;
  last_thread_created_at?: string;
  last_event_per_type: Record<string, LastEventOfType & { thread_order?: number }>;
  users: ChatUser[];
  properties: Properties;
  access: Access;
  active: boolean;
}

export type RoutingStatus = 'accepting_chats' | 'not_accepting_chats' | 'offline';
