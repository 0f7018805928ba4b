import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { GroupPriority } from '../../domain/routing.decide.ts';
import type { RoutingPropertyValues } from '../../domain/routing-settings.ts';
import type { ThreadActivity, TimerSettings } from '../../domain/thread-timers.ts';

/** The router's tables, in its own schema `router`. Nothing else reads them. */
export interface RouterDatabase {
  agents: AgentsTable;
  assignments: AssignmentsTable;
  chat_departures: ChatDeparturesTable;
  waiting_chats: WaitingChatsTable;
  closed_threads: ClosedThreadsTable;
  routing_settings: RoutingSettingsTable;
  configuration_positions: ConfigurationPositionsTable;
  chat_recent_agents: ChatRecentAgentsTable;
  active_threads: ActiveThreadsTable;
  system_commands: SystemCommandsTable;
  agent_sessions: AgentSessionsTable;
  queue_departures: QueueDeparturesTable;
}

/**
 * Routing status and what routing needs of each agent: from the configuration stream once it
 * described the agent (`configured`), else from the agent's last command.
 */
export interface AgentsTable {
  organization_id: string;
  agent_id: string;
  /** "agent" or "bot" (bots may be offline). */
  user_type: string;
  status: string;
  /** The keys of `group_priorities` (or the token's groups), for filtering in SQL. */
  group_ids: number[];
  group_priorities: ColumnType<Record<number, GroupPriority>, string | undefined, string>;
  /** Null: the organization's `default_max_chats_count`. */
  max_chats_count: number | null;
  removed: 'suspended' | 'deleted' | null;
  configured: Generated<boolean>;
  name: string;
  email: string;
  avatar: string;
  last_assigned_at: Date | null;
  updated_at: Date;
  /** When the agent's chats are handed on unless a session comes back first (grace period). */
  lost_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  lost_reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** Names the loss (reason and when): the hand-over commands' ids derive from it. */
  lost_key: ColumnType<string | null, string | null | undefined, string | null>;
  /** The status an agent had when their last session ended, for a login with `reconnect`. */
  status_before_offline: ColumnType<string | null, string | null | undefined, string | null>;
}

/**
 * Agents in active threads: the load. `routed` rows are the router's own decisions (at most one
 * per thread); `confirmed` once chat-store has added the agent, until then a retry is owed.
 */
export interface AssignmentsTable {
  organization_id: string;
  chat_id: string;
  thread_id: string;
  agent_id: string;
  routed: boolean;
  confirmed: boolean;
  assigned_at: Date;
  attempted_at: Date;
  /** The chat's version that put the agent in the thread; null for a routing decision from the queue. */
  joined_version: ColumnType<string | null, number | null | undefined, number | null>;
}

/** The chat's version at which an agent last left it (see the membership_versions migration). */
export interface ChatDeparturesTable {
  organization_id: string;
  chat_id: string;
  agent_id: string;
  version: ColumnType<string, number, number>;
}

/** Active threads no agent could take yet, served first come, first served. */
export interface WaitingChatsTable {
  organization_id: string;
  chat_id: string;
  thread_id: string;
  group_ids: number[];
  queued_at: Date;
  /** The chat's `routing.ignore_agents_routing` / thread's `routing.ignore_bots` when it came. */
  ignore_agents: Generated<boolean>;
  ignore_bots: Generated<boolean>;
  /** Who to tell their place (else the active thread's customer). */
  customer_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The position and estimate last pushed, so only changes are pushed. */
  position: ColumnType<number | null, number | null | undefined, number | null>;
  wait_time: ColumnType<number | null, number | null | undefined, number | null>;
}

/**
 * Threads known to be closed, so that a late redelivery of an older batch (incoming_chat,
 * user_added_to_chat) cannot put a closed thread back in the queue or on an agent's load.
 * Pruned after a day, far beyond any redelivery.
 */
export interface ClosedThreadsTable {
  organization_id: string;
  chat_id: string;
  thread_id: string;
  closed_at: Generated<Date>;
}

/**
 * The `chats` properties the Configuration API set (`{name: value}`, as set): the organization's
 * row has no group. `change_position` is the stream sequence of the last change applied.
 */
export interface RoutingSettingsTable {
  organization_id: string;
  group_id: number | null;
  settings: JSONColumnType<RoutingPropertyValues>;
  /** bigint: read as a string, written as a number. */
  change_position: ColumnType<string, number, number>;
  updated_at: Date;
}

/** The stream position of the last configuration change applied, per organization. */
export interface ConfigurationPositionsTable {
  organization_id: string;
  position: ColumnType<string, number, number>;
}

/** Who served each chat's last thread, for `prefer_recent_agent`. */
export interface ChatRecentAgentsTable {
  organization_id: string;
  chat_id: string;
  agent_id: string;
  served_at: Date;
}

/**
 * Each chat's active thread as the router follows it: `activity` and `timers` are the pure
 * `ThreadActivity` and `TimerSettings` (domain/thread-timers.ts); the due columns are what they
 * give, so the sweep finds due timers by index. A fired timer's column is cleared.
 */
export interface ActiveThreadsTable {
  organization_id: string;
  chat_id: string;
  thread_id: string;
  group_ids: number[];
  /** Who to tell their queue position. */
  customer_id: string | null;
  /** Messaging Mode (`routing.continuous`): waits for an agent however long. */
  continuous: Generated<boolean>;
  activity: JSONColumnType<ThreadActivity>;
  timers: JSONColumnType<TimerSettings>;
  inactive_due_at: Date | null;
  unanswered_due_at: Date | null;
  customer_due_at: Date | null;
  /** Bumped by every write of the activity or timers: what a compare-and-set compares. */
  revision: Generated<number>;
}

/**
 * Commands the router decided to send chat-store as the system, until chat-store answered. The
 * id is derived from the decision, so recording one twice (a redelivery, the other replica) keeps
 * one, and chat-store absorbs a repeat.
 */
export interface SystemCommandsTable {
  organization_id: string;
  command_id: string;
  action: string;
  payload: JSONColumnType<Record<string, unknown>>;
  issued_at: Date;
  attempted_at: Date;
}

/** An agent logged in over RTM on a gateway, as its heartbeats last said. */
export interface AgentSessionsTable {
  organization_id: string;
  agent_id: string;
  gateway_id: string;
  seen_at: Date;
}

/** How long each thread that left the queue for an agent waited, for `wait_time` estimates. */
export interface QueueDeparturesTable {
  organization_id: string;
  left_at: Date;
  waited_ms: ColumnType<string, number, number>;
}
