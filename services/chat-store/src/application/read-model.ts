import type { Direction, MethodPayload, SortOrder } from '@threadline/protocol';
import type { ChatRow, EventRow, ThreadRow } from '../domain/projections/rows.ts';

/** `properties.<namespace>.<name>.{exists | values | exclude_values}` (spec §5.6). */
export type PropertiesFilter = NonNullable<
  NonNullable<MethodPayload<'list_chats'>['filters']>['properties']
>;

/** `list_archives` filters (spec §5.6), `from`/`to` as protocol timestamps. */
export type ArchiveFilters = NonNullable<MethodPayload<'list_archives'>['filters']>;

/**
 * Which chats a list may contain, by who asks (see `canSeeChat`); `organization`: every chat of
 * it (the router, or an agent's `chats--all` request).
 */
export type ChatScope =
  | { type: 'agent'; agentId: string; groupIds: number[] }
  | { type: 'customer'; customerId: string }
  | { type: 'organization' };

/** Chats are listed by their last thread's creation, then id. */
export interface ChatCursor {
  at: string;
  id: string;
}

export interface ChatListQuery {
  organizationId: string;
  scope: ChatScope;
  active?: boolean | null | undefined;
  groupIds?: number[] | undefined;
  properties?: PropertiesFilter | undefined;
  /** `include_chats_without_threads` (default true). */
  withoutThreads?: boolean | undefined;
  sortOrder: SortOrder;
  direction: Direction;
  cursor?: ChatCursor | undefined;
  /** Rows to fetch (a page's limit + 1, to learn whether more follow). */
  take: number;
}

export interface ThreadListQuery {
  organizationId: string;
  chatId: string;
  from?: string | undefined;
  to?: string | undefined;
  sortOrder: SortOrder;
  direction: Direction;
  /** The order of the thread the page starts after. */
  cursor?: number | undefined;
  take: number;
}

/** Archives are listed by thread creation, then chat and thread id. */
export interface ArchiveCursor {
  at: string;
  chat: string;
  thread: string;
}

export interface ArchiveQuery {
  organizationId: string;
  scope: ChatScope;
  filters: ArchiveFilters;
  sortOrder: SortOrder;
  direction: Direction;
  cursor?: ArchiveCursor | undefined;
  take: number;
}

/** The read side's queries (Postgres projections), owned by the query use cases. */
export interface ChatReadModel {
  findChat(organizationId: string, chatId: string): Promise<ChatRow | undefined>;
  findThread(
    organizationId: string,
    chatId: string,
    threadId: string,
  ): Promise<ThreadRow | undefined>;
  listEvents(
    organizationId: string,
    chatId: string,
    threadIds: readonly string[],
    /** Customers: only `all`-visibility events that are not deleted. */
    customerView: boolean,
  ): Promise<EventRow[]>;
  /** Every event of the given threads (of any chats), in thread order. */
  listEventsOfThreads(
    organizationId: string,
    threads: readonly { chatId: string; id: string }[],
  ): Promise<EventRow[]>;
  /** Rows in reading order, each with its last thread; `total` counts all matches. */
  listChats(
    query: ChatListQuery,
  ): Promise<{ rows: { chat: ChatRow; lastThread?: ThreadRow }[]; total: number }>;
  listThreads(query: ThreadListQuery): Promise<{ rows: ThreadRow[]; total: number }>;
  /** Matching threads in reading order, each with its chat; `total` counts all matches. */
  listArchives(
    query: ArchiveQuery,
  ): Promise<{ rows: { chat: ChatRow; thread: ThreadRow }[]; total: number }>;
  /** Every thread of the chats, in thread order, with what access rules look at. */
  listThreadAccess(organizationId: string, chatIds: readonly string[]): Promise<ThreadAccessRow[]>;
}

export type ThreadAccessRow = Pick<ThreadRow, 'chatId' | 'id' | 'order' | 'access' | 'userIds'>;
