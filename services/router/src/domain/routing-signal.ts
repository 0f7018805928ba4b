/**
 * What the router learns from a chat's event batch: the facts that change who should be, or is,
 * handling which chat. Read from the batch's notifications (the protocol pushes chat-store
 * computed once), so the router never needs chat-store's domain events.
 *
 * `version` is the chat's version after the batch (chat-store's aggregate version, +1 per batch).
 * Replicas take a chat's batches concurrently and redeliveries come late, so who is in a chat is
 * decided by version, not by the order the router happens to read joins and leaves in.
 */
export type RoutingSignal =
  /**
   * `incoming_chat` with an active thread and no present agent, or `chat_transferred` to groups
   * (`transferred`: a thread already waiting waits again, in its new groups).
   */
  | {
      type: 'chat_needs_agent';
      chatId: string;
      threadId: string;
      groupIds: number[];
      ignoreAgents?: boolean;
      ignoreBots?: boolean;
      continuous?: boolean;
      customerId?: string;
      transferred?: true;
      version?: number;
      /** When the batch happened (its events' time); the timers of a transferred thread restart then. */
      at?: number;
    }
  /**
   * An agent is present in an active thread: from `user_added_to_chat`, or `incoming_chat`.
   * `at`: when the batch happened, so the thread's timers never depend on when the router read it.
   */
  | {
      type: 'agent_joined';
      chatId: string;
      threadId: string;
      agentId: string;
      at?: number;
      version?: number;
    }
  /** `user_removed_from_chat`: the user (maybe a customer, then nothing matches) left the chat. */
  | { type: 'user_left'; chatId: string; userId: string; version?: number }
  /** `chat_deactivated`: the thread closed, its agents' slots are free again. */
  | { type: 'thread_closed'; chatId: string; threadId: string; version?: number }
  /** `incoming_chat` with an active thread: its timers start (at the thread's creation). */
  | {
      type: 'thread_started';
      chatId: string;
      threadId: string;
      groupIds: number[];
      customerId: string | undefined;
      /** `routing.continuous` (Messaging Mode): the thread waits for an agent however long. */
      continuous: boolean;
      at: number;
      /** The latest of the events it started with, by a user. */
      activity?: { author: 'customer' | 'agent'; at: number };
    }
  /** A user's own event in the active thread (not a system message): the timers move on. */
  | {
      type: 'thread_activity';
      chatId: string;
      threadId: string;
      author: 'customer' | 'agent';
      at: number;
    };
