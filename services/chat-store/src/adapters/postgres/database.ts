import type { ChatEvent, ChatUser, Properties } from '@threadline/protocol';
import type { ColumnType } from 'kysely';
import type { ThreadSummaryText } from '../../domain/chat.types.ts';
import type { LastEventEntry } from '../../domain/projections/rows.ts';

/** jsonb columns: written as JSON text, read back parsed by pg. */
type Json<T> = ColumnType<T, string, string>;

/** The `chat_store` schema: projections of the chat event streams, rebuildable from them. */
export interface Database {
  chats: ChatsTable;
  chat_users: ChatUsersTable;
  threads: ThreadsTable;
  events: EventsTable;
}

export interface ChatsTable {
  organization_id: string;
  id: string;
  /** Version of the last batch applied: the projection's checkpoint for this chat. */
  version: number;
  properties: Json<Properties>;
  /** int[] rather than jsonb so that `&&` (overlap) can use an index. */
  access_group_ids: number[];
  users: Json<ChatUser[]>;
  followers: Json<string[]>;
  customer_id: string | null;
  active: boolean;
  created_at: string;
  last_thread_id: string | null;
  /** The list order; the chat's creation time until it has a thread. */
  last_thread_created_at: string;
  thread_count: number;
  last_event_per_type: Json<Record<string, LastEventEntry>>;
  customer_last_event_per_type: Json<Record<string, LastEventEntry>>;
}

/** Who is in which chat, to list an agent's chats without scanning users jsonb. */
export interface ChatUsersTable {
  organization_id: string;
  chat_id: string;
  user_id: string;
  user_type: string;
}

export interface ThreadsTable {
  organization_id: string;
  chat_id: string;
  id: string;
  thread_order: number;
  active: boolean;
  /** RFC 3339 with microseconds, UTC: sorts as text. */
  created_at: string;
  properties: Json<Properties>;
  access_group_ids: number[];
  user_ids: Json<string[]>;
  tags: Json<string[]>;
  summary: ColumnType<ThreadSummaryText | null, string | null, string | null>;
  previous_thread_id: string | null;
  next_thread_id: string | null;
  events_count: number;
}

export interface EventsTable {
  organization_id: string;
  chat_id: string;
  thread_id: string;
  id: string;
  event_order: number;
  created_at: string;
  visibility: string;
  deleted: boolean;
  body: Json<ChatEvent>;
}
