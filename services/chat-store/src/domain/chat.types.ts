import type {
  Access,
  ChatEvent,
  ChatUser,
  Properties,
  ProtocolError,
  Thread,
} from '@threadline/protocol';

/**
 * Who issues a command, as the domain needs it. Bots act as agents; `system` is another service
 * acting on its own (the router), which may touch any chat of its organization. `role` is the
 * agent's (`owner`, `viceowner`, `administrator`, `normal`); empty for customers and services.
 */
export interface Actor {
  organizationId: string;
  id: string;
  type: 'agent' | 'customer' | 'system';
  name: string;
  email: string;
  avatar: string;
  groupIds: number[];
  role: string;
  /** The OAuth client of the requester's token; absent for personal access tokens and services. */
  clientId?: string;
  /**
   * Agents: this request reaches every chat of the organization, not only its groups' chats
   * (LiveChat's `chats--all`; the gateway decides it per method, see `Requester.all_chats`).
   */
  allChats?: boolean;
}

export type ThreadSummaryText = NonNullable<Thread['summary']>;

export interface ThreadState {
  id: string;
  active: boolean;
  createdAt: string;
  properties: Properties;
  access: Access;
  userIds: string[];
  events: ChatEvent[];
  tags: string[];
  /** Set once, by `request_thread_summary` on the inactive thread. */
  summary?: ThreadSummaryText;
  previousThreadId?: string;
}

export interface ExistingChat {
  status: 'existing';
  id: string;
  organizationId: string;
  properties: Properties;
  access: Access;
  users: ChatUser[];
  /** Agents following the chat without being in it (`follow_chat`), until it is reactivated. */
  followerIds: string[];
  /** Absent only between `chat_created` and `thread_opened` inside one batch. */
  lastThread?: ThreadState;
  /**
   * The threads before the last one, oldest first, kept whole: tags, properties, postbacks,
   * deletions and summaries may target any thread of the chat.
   */
  earlierThreads: ThreadState[];
  threadCount: number;
}

export type ChatState = { status: 'none' } | ExistingChat;

/** `{"<namespace>": ["<name>", …]}`: the properties a delete names. */
export type PropertyNames = Record<string, string[]>;

/** What a `send_rich_message_postback` carries (spec §2). */
export interface Postback {
  id: string;
  toggled: boolean;
  button_type?: string | undefined;
  button_value?: string | undefined;
  ecommerce?: { product_id: string; option_id?: string | undefined; quantity?: number | undefined };
}

type Event<Type extends string, Data> = { type: Type; occurredAt: string; data: Data };
type ThreadRef = { thread_id: string };
type EventRef = { thread_id: string; event_id: string };

/**
 * The chat aggregate's events, stored in `ChatEventBatch.events` (`DomainEvent.type`,
 * `occurred_at`, `data_json` = `data` below). One command appends one batch; evolve folds them in
 * order, projections fold them into tables. Shapes are never edited in place: a new field is
 * optional, a different meaning is a new type.
 *
 * - `chat_created`  {chat_id, organization_id, properties, access}: the chat exists (no thread yet).
 * - `chat_updated`  {properties?, access?}: resume_chat replaced properties and/or access.
 * - `user_added`    {user, reason?, thread_id?}: a user joined (or re-joined) as present; `reason`
 *                   `assigned` (the router) or `manual` (add_user_to_chat); `thread_id` = the
 *                   active thread.
 * - `user_removed`  {user_id, reason, thread_id?}: the user is no longer present (remove_user_from_chat).
 * - `thread_opened` {thread_id, previous_thread_id?, properties, access, user_ids, active}: a new
 *                   last thread; `active:false` when start/resume asked for an inactive thread.
 *                   A reactivated chat loses its followers.
 * - `event_added`   {thread_id, event, requested}: an event in a thread; `requested` when it came
 *                   from the command's payload (these ids are the response's `event_ids`).
 * - `thread_closed` {thread_id, user_id?}: the thread became inactive (`user_id` = who closed it,
 *                   absent when the system did); agents stop being present.
 * - `chat_followed` / `chat_unfollowed` {user_id}: an agent follows the chat, or stops.
 * - `events_seen`   {user_id, seen_up_to}: the user's `events_seen_up_to` moved forward.
 * - `chat_properties_updated` {properties} / `chat_properties_deleted` {properties: names}; the
 *   same with {thread_id, …} for `thread_properties_*` and {thread_id, event_id, …} for
 *   `event_properties_*`. Only the changed part; the folds merge it.
 * - `thread_tagged` / `thread_untagged` {thread_id, tag}.
 * - `event_deleted` {thread_id, event_id}: the event stays, flagged `deleted` (customers lose it).
 * - `postback_sent` {thread_id, event_id, user_id, postback}: a rich message button was clicked;
 *                   the button's `user_ids` gain (toggled) or lose the user.
 * - `thread_summary_set` {thread_id, summary}: the summary of an inactive thread.
 * - `chat_transferred` {thread_id, transferred_to:{group_ids, agent_ids}, reason?, queue?}:
 *   transfer_chat's marker, after the batch's `chat_updated` (new access), `user_removed` and
 *   `user_added` events; it changes no state and announces `chat_transferred`. `reason` is absent
 *   for transfer_chat (`manual`); the router's `unassign_agent` sets `assigned`, `unassigned` or
 *   `inactive`, and `queue` when the chat waits.
 */
export type ChatDomainEvent =
  | Event<
      'chat_created',
      { chat_id: string; organization_id: string; properties: Properties; access: Access }
    >
  | Event<'chat_updated', { properties?: Properties; access?: Access }>
  | Event<'user_added', { user: ChatUser; reason?: string; thread_id?: string }>
  | Event<'user_removed', { user_id: string; reason: string; thread_id?: string }>
  | Event<
      'thread_opened',
      {
        thread_id: string;
        previous_thread_id?: string;
        properties: Properties;
        access: Access;
        user_ids: string[];
        active: boolean;
      }
    >
  | Event<'event_added', { thread_id: string; event: ChatEvent; requested: boolean }>
  | Event<'thread_closed', { thread_id: string; user_id?: string }>
  | Event<'chat_followed', { user_id: string }>
  | Event<'chat_unfollowed', { user_id: string }>
  | Event<'events_seen', { user_id: string; seen_up_to: string }>
  | Event<'chat_properties_updated', { properties: Properties }>
  | Event<'chat_properties_deleted', { properties: PropertyNames }>
  | Event<'thread_properties_updated', ThreadRef & { properties: Properties }>
  | Event<'thread_properties_deleted', ThreadRef & { properties: PropertyNames }>
  | Event<'event_properties_updated', EventRef & { properties: Properties }>
  | Event<'event_properties_deleted', EventRef & { properties: PropertyNames }>
  | Event<'thread_tagged', ThreadRef & { tag: string }>
  | Event<'thread_untagged', ThreadRef & { tag: string }>
  | Event<'event_deleted', EventRef>
  | Event<'postback_sent', EventRef & { user_id: string; postback: Postback }>
  | Event<'thread_summary_set', ThreadRef & { summary: ThreadSummaryText }>
  | Event<
      'chat_transferred',
      ThreadRef & { transferred_to: TransferredTo; reason?: TransferReason; queue?: QueuePlace }
    >;

/** `chat_transferred.reason` (spec §4.1). */
export type TransferReason = 'manual' | 'inactive' | 'assigned' | 'unassigned' | 'other';

/** Where a requeued chat waits (spec §4.1 `chat_transferred.queue`). */
export interface QueuePlace {
  position: number;
  wait_time: number;
  queued_at: string;
}

/** Where transfer_chat sent a chat (spec §4.1 `chat_transferred.transferred_to`). */
export interface TransferredTo {
  group_ids: number[];
  agent_ids: string[];
}

export type ChatDomainEventType = ChatDomainEvent['type'];

export const chatDomainEventTypes: readonly ChatDomainEventType[] = [
  'chat_created',
  'chat_updated',
  'user_added',
  'user_removed',
  'thread_opened',
  'event_added',
  'thread_closed',
  'chat_followed',
  'chat_unfollowed',
  'events_seen',
  'chat_properties_updated',
  'chat_properties_deleted',
  'thread_properties_updated',
  'thread_properties_deleted',
  'event_properties_updated',
  'event_properties_deleted',
  'thread_tagged',
  'thread_untagged',
  'event_deleted',
  'postback_sent',
  'thread_summary_set',
  'chat_transferred',
];

/** A protocol push/webhook a batch announces (or a command signals), before it is encoded. */
export interface ChatNotification {
  /** The push name (spec §4.1); stored ones that are webhook actions become webhooks too. */
  action: string;
  payload: Record<string, unknown>;
  recipientUserIds: string[];
  recipientGroupIds: number[];
  /**
   * Pushed to exactly its recipients and not stored in the batch: the `incoming_chat` an added
   * agent or a new follower gets, `chat_unfollowed`, `incoming_error`. Webhooks and the router
   * never see these (an `incoming_chat` webhook means a started or resumed chat, spec §2), and
   * followers do not get copies.
   */
  pushOnly?: true;
  /** Customers never receive it (agents-only events, users, indicators; tags and summaries). */
  agentsOnly?: true;
}

/**
 * What a command decides: the events to append, a refusal, or (for commands that store nothing,
 * like typing indicators) the notifications to push right away.
 */
export type Decision = ChatDomainEvent[] | ProtocolError | Signals;

/** Pushes of a command that stores nothing. */
export interface Signals {
  signals: ChatNotification[];
}
