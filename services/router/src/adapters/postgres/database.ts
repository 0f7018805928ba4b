import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { GroupRoutingSettings, RoutingSettings } from '../../domain/routing-settings.ts';

/** The router's tables, in its own schema `router`. Nothing else reads them. */
export interface RouterDatabase {
  agents: AgentsTable;
  assignments: AssignmentsTable;
  waiting_chats: WaitingChatsTable;
  closed_threads: ClosedThreadsTable;
  routing_settings: RoutingSettingsTable;
}

/** Routing status and what routing needs of each agent, as the agent's last command told us. */
export interface AgentsTable {
  organization_id: string;
  agent_id: string;
  /** "agent" or "bot" (bots may be offline). */
  user_type: string;
  status: string;
  group_ids: number[];
  max_chats_count: number;
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
