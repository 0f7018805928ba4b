import type { Access, ChatEvent, ChatUser, Properties } from '@threadline/protocol';

/**
 * Who issues a command, as the domain needs it. Bots act as agents; `system` is another service
 * acting on its own (the router), which may touch any chat of its organization.
 */
export interface Actor {
  organizationId: string;
  id: string;
  type: 'agent' | 'customer' | 'system';
  name: string;
  email: string;
  avatar: string;
  groupIds: number[];
}

export interface ThreadState {
  id: string;
  active: boolean;
  createdAt: string;
  properties: Properties;
  access: Access;
  userIds: string[];
  /** Only the last thread is kept whole: commands touch nothing older. */
  events: ChatEvent[];
  previousThreadId?: string;
}

export interface ExistingChat {
  status: 'existing';
  id: string;
  organizationId: string;
  properties: Properties;
  access: Access;
  users: ChatUser[];
  /** Absent only between `chat_created` and `thread_opened` inside one batch. */
  lastThread?: ThreadState;
  threadCount: number;
}

export type ChatState = { status: 'none' } | ExistingChat;

/**
 * The chat aggregate's events, stored in `ChatEventBatch.events` (`DomainEvent.type`,
 * `occurred_at`, `data_json` = `data` below). One command appends one batch; evolve folds them in
 * order, projections fold them into tables. Shapes are never edited in place: a new field is
 * optional, a different meaning is a new type.
 *
 * - `chat_created`  {chat_id, organization_id, properties, access}: the chat exists (no thread yet).
 * - `chat_updated`  {properties?, access?}: resume_chat replaced properties and/or access.
 * - `user_added`    {user, reason?, thread_id?}: a user joined (or re-joined) as present; `reason`
 *                   `assigned` when the router added an agent; `thread_id` = the active thread.
 * - `thread_opened` {thread_id, previous_thread_id?, properties, access, user_ids, active}: a new
 *                   last thread; `active:false` when start/resume asked for an inactive thread.
 * - `event_added`   {thread_id, event, requested}: an event in a thread; `requested` when it came
 *                   from the command's payload (these ids are the response's `event_ids`).
 * - `thread_closed` {thread_id, user_id?}: the thread became inactive (`user_id` = who closed it,
 *                   absent when the system did); agents stop being present.
 */
export type ChatDomainEvent =
  | {
      type: 'chat_created';
      occurredAt: string;
      data: { chat_id: string; organization_id: string; properties: Properties; access: Access };
    }
  | { type: 'chat_updated'; occurredAt: string; data: { properties?: Properties; access?: Access } }
  | {
      type: 'user_added';
      occurredAt: string;
      data: { user: ChatUser; reason?: string; thread_id?: string };
    }
  | {
      type: 'thread_opened';
      occurredAt: string;
      data: {
        thread_id: string;
        previous_thread_id?: string;
        properties: Properties;
        access: Access;
        user_ids: string[];
        active: boolean;
      };
    }
  | {
      type: 'event_added';
      occurredAt: string;
      data: { thread_id: string; event: ChatEvent; requested: boolean };
    }
  | { type: 'thread_closed'; occurredAt: string; data: { thread_id: string; user_id?: string } };

export type ChatDomainEventType = ChatDomainEvent['type'];

export const chatDomainEventTypes: readonly ChatDomainEventType[] = [
  'chat_created',
  'chat_updated',
  'user_added',
  'thread_opened',
  'event_added',
  'thread_closed',
];

/** A protocol push/webhook a batch announces, before it is encoded into the contract. */
export interface ChatNotification {
  action: 'incoming_chat' | 'incoming_event' | 'chat_deactivated' | 'user_added_to_chat';
  payload: Record<string, unknown>;
  recipientUserIds: string[];
  recipientGroupIds: number[];
  /**
   * Pushed to its recipients but not stored in the batch: the `incoming_chat` an assigned agent
   * gets. Webhooks and the router see an assignment as `user_added_to_chat`; an `incoming_chat`
   * webhook means a started or resumed chat (spec §2).
   */
  pushOnly?: true;
}
