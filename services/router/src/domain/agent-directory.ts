import type { RoutingPropertyName } from '@threadline/protocol';
import type { GroupPriority, RoutingStatus } from './routing.decide.ts';
import { generalGroupId } from './routing.decide.ts';
import type { RoutingPropertyValues } from './routing-settings.ts';

/**
 * The router's view of the organization's agents and bots, kept from the Configuration API's
 * changes (spec §4.3 `agent_*`, `bot_*`, `group_*` pushes; `chats` properties). Pure: the
 * adapter loads the agents a change touches, folds the change in and writes back what changed.
 *
 * Why the router keeps it: routing must know every agent's groups with their priorities and
 * `max_chats_count` before the agent ever sets a status, and must notice at once when an agent
 * is suspended or deleted (their chats go elsewhere).
 */
export interface DirectoryAgent {
  agentId: string;
  userType: 'agent' | 'bot';
  name: string;
  avatar: string;
  /** Every group the agent is in with their priority there; group 0 always. */
  groupPriorities: Record<number, GroupPriority>;
  /** Their own limit; undefined: the organization's `default_max_chats_count`. */
  maxChatsCount: number | undefined;
  status: RoutingStatus;
  /** Suspended or deleted agents are never routed to and are listed nowhere. */
  removed: 'suspended' | 'deleted' | undefined;
}

export type AgentFields = Partial<
  Pick<DirectoryAgent, 'name' | 'avatar' | 'groupPriorities' | 'maxChatsCount'>
>;

/** One Configuration API change, as the router reads it. */
export type ConfigurationEvent =
  /** `agent_created` / `bot_created` (full state), `agent_updated` / `bot_updated` (given fields). */
  | {
      type: 'agent_configured';
      agentId: string;
      userType: 'agent' | 'bot';
      created: boolean;
      fields: AgentFields;
    }
  | { type: 'agent_suspended' | 'agent_unsuspended' | 'agent_deleted'; agentId: string }
  /** `group_created` / `group_updated` with `agent_priorities`: the group's members, in full. */
  | { type: 'group_members_set'; groupId: number; priorities: Record<string, GroupPriority> }
  | { type: 'group_deleted'; groupId: number }
  /** `chats` license (no group) or group properties set, or deleted (back to the default). */
  | {
      type: 'routing_settings_changed';
      groupId: number | undefined;
      set: RoutingPropertyValues;
      unset: RoutingPropertyName[];
    };

/** Whether the change concerns one agent (by id) or possibly every agent of the organization. */
export function agentsTouchedBy(event: ConfigurationEvent): { agentId: string } | 'all' | 'none' {
  switch (event.type) {
    case 'agent_configured':
    case 'agent_suspended':
    case 'agent_unsuspended':
    case 'agent_deleted':
      return { agentId: event.agentId };
    case 'group_members_set':
    case 'group_deleted':
      return 'all';
    case 'routing_settings_changed':
      return 'none';
    default: {
      const unknown: never = event;
      throw new Error(`unknown configuration event ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * Folds a change into one agent. Undefined in: the router has not heard of the agent (it may
 * have joined before the stream's retention; `set_routing_status` fills them in then).
 */
export function evolveAgent(
  agent: DirectoryAgent | undefined,
  event: ConfigurationEvent,
): DirectoryAgent | undefined {
  switch (event.type) {
    case 'agent_configured': {
      // A created agent starts logged out; creating an id again (after deletion) revives it.
      const base: DirectoryAgent =
        agent && !(event.created && agent.removed === 'deleted')
          ? agent
          : newAgent(event.agentId, event.userType);
      const fields = withGeneralGroup(event.fields);
      return { ...base, ...fields, userType: event.userType };
    }
    case 'agent_suspended':
      return agent && { ...agent, status: 'offline', removed: 'suspended' };
    case 'agent_unsuspended':
      return agent && { ...agent, removed: agent.removed === 'deleted' ? 'deleted' : undefined };
    case 'agent_deleted':
      return agent && { ...agent, status: 'offline', removed: 'deleted' };
    case 'group_members_set': {
      if (!agent) return agent;
      const priority = event.priorities[agent.agentId];
      const groupPriorities = { ...agent.groupPriorities };
      if (priority) groupPriorities[event.groupId] = priority;
      else if (event.groupId === generalGroupId) groupPriorities[generalGroupId] = 'normal';
      else delete groupPriorities[event.groupId];
      return { ...agent, groupPriorities };
    }
    case 'group_deleted': {
      if (!agent || !(event.groupId in agent.groupPriorities)) return agent;
      if (event.groupId === generalGroupId) return agent;
      const { [event.groupId]: _deleted, ...groupPriorities } = agent.groupPriorities;
      return { ...agent, groupPriorities };
    }
    case 'routing_settings_changed':
      return agent;
    default: {
      const unknown: never = event;
      throw new Error(`unknown configuration event ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * The agent a change takes out of routing, and why: their chats must go to others. Read from
 * the change alone, so a redelivered change asks again (the handler is idempotent) rather than
 * being lost when the router stopped between recording the change and acting on it.
 */
export function agentLostBy(
  event: ConfigurationEvent,
): { agentId: string; reason: 'suspended' | 'deleted' } | undefined {
  if (event.type === 'agent_suspended') return { agentId: event.agentId, reason: 'suspended' };
  if (event.type === 'agent_deleted') return { agentId: event.agentId, reason: 'deleted' };
  return undefined;
}

export function groupIdsOf(agent: Pick<DirectoryAgent, 'groupPriorities'>): number[] {
  return Object.keys(agent.groupPriorities)
    .map(Number)
    .sort((a, b) => a - b);
}

function newAgent(agentId: string, userType: 'agent' | 'bot'): DirectoryAgent {
  return {
    agentId,
    userType,
    name: '',
    avatar: '',
    groupPriorities: { [generalGroupId]: 'normal' },
    maxChatsCount: undefined,
    status: 'offline',
    removed: undefined,
  };
}

/** Every agent is in group 0 (accounts keeps it so); a group list without it still has it. */
function withGeneralGroup(fields: AgentFields): AgentFields {
  if (!fields.groupPriorities || generalGroupId in fields.groupPriorities) return fields;
  return { ...fields, groupPriorities: { [generalGroupId]: 'normal', ...fields.groupPriorities } };
}
