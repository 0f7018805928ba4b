import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { GroupPriority } from '../../domain/routing.decide.ts';
import type { GroupRoutingSettings, RoutingSettings } from '../../domain/routing-settings.ts';

/** The router's tables, in its own schema `router`. Nothing else reads them. */
export interface RouterDatabase {
  agents: AgentsTable;
  assignments: AssignmentsTable;
  waiting_chats: WaitingChatsTable;
  closed_threads: ClosedThreadsTable;
  routing_settings: RoutingSettingsTable;
  configuration_positions: ConfigurationPositionsTable;
  chat_recent_agents: ChatRecentAgentsTable;
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
}

/** Active threads no agent could take yet, served first come, first served. */
export interface WaitingChatsTable {
  organization_id: string;
  chat_id: string;
  thread_id: string;
  group_ids: number[];
  queued_at: Date;
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
 * Routing settings as the last `routing_settings_updated` change said: the organization's row has
 * no group. `change_position` is the change's stream sequence, so an older change redelivered
 * after a newer one cannot win.
 */
export interface RoutingSettingsTable {
  organization_id: string;
  group_id: number | null;
  settings: JSONColumnType<RoutingSettings | GroupRoutingSettings>;
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
