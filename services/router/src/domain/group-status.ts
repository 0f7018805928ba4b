import { type AgentLoad, canBeRoutedTo, decideRouting, isInChatGroups } from './routing.decide.ts';

/**
 * A group's status as customers see it (spec §7.5): `online` when an agent of the group accepts
 * chats and has a free slot (a supervisor of the group does not count: routing never picks them), `online_for_queue` when its accepting agents are all full (a chat
 * started now waits in the queue), `offline` when nobody of the group accepts chats.
 */
export type GroupStatus = 'online' | 'online_for_queue' | 'offline';

export function groupStatus(agents: readonly AgentLoad[], groupId: number): GroupStatus {
  if (agents.some((agent) => canBeRoutedTo(agent, [groupId]))) return 'online';
  const accepting = agents.some(
    (agent) => agent.status === 'accepting_chats' && isInChatGroups(agent.groupIds, [groupId]),
  );
  return accepting ? 'online_for_queue' : 'offline';
}

export type Prediction =
  | { type: 'agent'; agentId: string }
  | { type: 'group_offline' }
  | { type: 'group_unavailable' };

/** Who would take a chat of the group started now: the routing decision, without assigning. */
export function predictAgent(agents: readonly AgentLoad[], groupId: number): Prediction {
  const decision = decideRouting({ chatId: '', threadId: '', groupIds: [groupId] }, agents);
  if (decision.type === 'assign') return { type: 'agent', agentId: decision.agentId };
  return groupStatus(agents, groupId) === 'offline'
    ? { type: 'group_offline' }
    : { type: 'group_unavailable' };
}
