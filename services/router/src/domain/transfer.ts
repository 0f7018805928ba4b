import { type AgentLoad, canTake, isInChatGroups } from './routing.decide.ts';

/**
 * What transfers ask the router (spec §2 `list_agents_for_transfer`, `transfer_chat`'s
 * `ignore_agents_availability`). Pure: the adapter loads the organization's agents with their load.
 */

export interface AgentForTransfer {
  agent_id: string;
  total_active_chats: number;
}

/** Agents accepting chats in the chat's groups, least loaded first (then by id, stable). */
export function agentsForTransfer(
  agents: readonly AgentLoad[],
  chatGroupIds: readonly number[],
): AgentForTransfer[] {
  return agents
    .filter(
      (agent) => agent.status === 'accepting_chats' && isInChatGroups(agent.groupIds, chatGroupIds),
    )
    .sort((a, b) => a.load - b.load || a.agentId.localeCompare(b.agentId))
    .map((agent) => ({ agent_id: agent.agentId, total_active_chats: agent.load }));
}

export type TransferTarget = { agentIds: readonly string[] } | { groupIds: readonly number[] };

/**
 * Whether someone in the target can take the chat now (accepting chats, below their limit).
 * Refusals, as LiveChat names them: `agent_offline` when no target agent can; for groups
 * `group_offline` when nobody there accepts chats, `group_unavailable` when those who do are full.
 */
export function transferAvailability(
  agents: readonly AgentLoad[],
  target: TransferTarget,
): 'available' | 'agent_offline' | 'group_offline' | 'group_unavailable' {
  if ('agentIds' in target) {
    const targets = agents.filter((agent) => target.agentIds.includes(agent.agentId));
    return targets.some((agent) => canTake(agent, [])) ? 'available' : 'agent_offline';
  }
  if (agents.some((agent) => canTake(agent, target.groupIds))) return 'available';
  const accepting = agents.some(
    (agent) =>
      agent.status === 'accepting_chats' && isInChatGroups(agent.groupIds, target.groupIds),
  );
  return accepting ? 'group_unavailable' : 'group_offline';
}
