/**
 * Which agent takes a chat. Pure: the adapter loads the organization's agents with their load
 * under the organization's lock, and records whatever this decides before anyone else can look.
 *
 * Groups. A chat's `access.group_ids` says who may take it. Group 0 is LiveChat's General group,
 * which every agent of an organization belongs to, and the spec says "group 0 = all": a chat in
 * group 0 (the default access) may go to any agent of the organization. A chat in other groups
 * goes only to agents in at least one of them; being in group 0 does not let an agent take
 * chats of group 5. A chat with no groups at all is treated as group 0.
 *
 * Order. Among agents accepting chats, allowed by the groups and below their `max_chats_count`:
 * the least loaded first, then the one whose last assignment is oldest (never assigned counts as
 * oldest), then the agent id, so that every replica reaches the same answer. LiveChat's group
 * priorities (first/normal/last/supervisor) are not modelled yet.
 */
export const generalGroupId = 0;

export type RoutingStatus = 'accepting_chats' | 'not_accepting_chats' | 'offline';

export interface AgentLoad {
  agentId: string;
  status: RoutingStatus;
  groupIds: readonly number[];
  maxChatsCount: number;
  /** Active chats the agent is in now, assigned by us or joined by hand. */
  load: number;
  /** Epoch milliseconds of the agent's last assignment; undefined (never) sorts as the oldest. */
  lastAssignedAt: number | undefined;
}

export interface ChatToRoute {
  chatId: string;
  threadId: string;
  groupIds: readonly number[];
}

export type RoutingDecision = { type: 'assign'; agentId: string } | { type: 'queue' };

export function decideRouting(chat: ChatToRoute, agents: readonly AgentLoad[]): RoutingDecision {
  const candidates = agents.filter((agent) => canTake(agent, chat.groupIds));
  const best = candidates.sort(compareCandidates)[0];
  return best ? { type: 'assign', agentId: best.agentId } : { type: 'queue' };
}

export function canTake(agent: AgentLoad, chatGroupIds: readonly number[]): boolean {
  return (
    agent.status === 'accepting_chats' &&
    agent.load < agent.maxChatsCount &&
    isInChatGroups(agent.groupIds, chatGroupIds)
  );
}

export function isInChatGroups(
  agentGroupIds: readonly number[],
  chatGroupIds: readonly number[],
): boolean {
  if (chatGroupIds.length === 0 || chatGroupIds.includes(generalGroupId)) return true;
  return chatGroupIds.some((groupId) => agentGroupIds.includes(groupId));
}

function compareCandidates(a: AgentLoad, b: AgentLoad): number {
  return (
    a.load - b.load ||
    (a.lastAssignedAt ?? 0) - (b.lastAssignedAt ?? 0) ||
    compareIds(a.agentId, b.agentId)
  );
}

function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

export interface WaitingChat extends ChatToRoute {
  /** Epoch milliseconds; the queue is served first come, first served. */
  queuedAt: number;
}

export interface PlannedAssignment {
  chat: WaitingChat;
  agentId: string;
}

/**
 * Serves the waiting chats, oldest first, with the agents available now. Each assignment counts
 * towards the next decision, so one pass never gives an agent more than their free slots. A chat
 * nobody can take stays waiting and does not block younger chats of other groups.
 */
export function planQueueDrain(
  waiting: readonly WaitingChat[],
  agents: readonly AgentLoad[],
  now: number,
): PlannedAssignment[] {
  const current = agents.map((agent) => ({ ...agent }));
  const plan: PlannedAssignment[] = [];
  for (const chat of [...waiting].sort(compareWaiting)) {
    const decision = decideRouting(chat, current);
    if (decision.type === 'queue') continue;
    const agent = current.find((candidate) => candidate.agentId === decision.agentId)!;
    agent.load += 1;
    agent.lastAssignedAt = now;
    plan.push({ chat, agentId: agent.agentId });
  }
  return plan;
}

function compareWaiting(a: WaitingChat, b: WaitingChat): number {
  return a.queuedAt - b.queuedAt || compareIds(a.chatId, b.chatId);
}
