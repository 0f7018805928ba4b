import type { RoutingSettings } from './routing-settings.ts';

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
 * the agent who last served the customer when the organization prefers recent agents (only if
 * they are a candidate at all); else by the agent's priority in the chat's groups (`first` before
 * `normal` before `last`), then the least loaded, then the one whose last assignment is oldest
 * (never assigned counts as oldest), then the agent id, so that every replica reaches the same
 * answer. A `supervisor` of the chat's groups is never chosen automatically; only a transfer by
 * hand gives them chats (spec §7.6).
 *
 * An agent's priority for a chat is their best one among the chat's groups they belong to; for a
 * chat of group 0 (everyone's) it is their priority in group 0. A group without a priority
 * recorded for the agent (the router learnt their groups from a token, not from configuration)
 * counts as `normal`, LiveChat's default.
 */
export const generalGroupId = 0;

export type RoutingStatus = 'accepting_chats' | 'not_accepting_chats' | 'offline';

export type GroupPriority = 'first' | 'normal' | 'last' | 'supervisor';

/** Lower is served first; supervisors are never served automatically. */
const priorityRank: Record<GroupPriority, number> = { first: 0, normal: 1, last: 2, supervisor: 3 };

export interface AgentLoad {
  agentId: string;
  status: RoutingStatus;
  groupIds: readonly number[];
  maxChatsCount: number;
  /** Active chats the agent is in now, assigned by us or joined by hand. */
  load: number;
  /** Epoch milliseconds of the agent's last assignment; undefined (never) sorts as the oldest. */
  lastAssignedAt: number | undefined;
  /** The agent's priority in each of their groups; a group missing here counts as `normal`. */
  groupPriorities?: Readonly<Record<number, GroupPriority>> | undefined;
  /** Bots take chats like agents, unless a chat says `routing.ignore_bots`. */
  isBot?: boolean | undefined;
}

export interface ChatToRoute {
  chatId: string;
  threadId: string;
  groupIds: readonly number[];
  /**
   * The agent who served this chat's customer last; routing prefers them when given (callers
   * give it only when the settings say `prefer_recent_agent`).
   */
  recentAgentId?: string | undefined;
  /**
   * LiveChat's routing properties: `routing.ignore_agents_routing` (chat) keeps the chat for bots,
   * `routing.ignore_bots` (thread, e.g. a customer who asked for a human) keeps it for agents.
   */
  ignoreAgents?: boolean | undefined;
  ignoreBots?: boolean | undefined;
  /** Messaging Mode (`routing.continuous`), when the signal says; else looked up when needed. */
  continuous?: boolean | undefined;
  /** Who to tell their queue place, when the signal says. */
  customerId?: string | undefined;
}

export type RoutingDecision = { type: 'assign'; agentId: string } | { type: 'queue' };

/**
 * What becomes of a chat that needs an agent, under the settings of its group. Manual routing
 * (`manual_routing`, LiveChat's "manual selection") assigns nobody: the chat goes to the queue,
 * where agents accepting chats pick it up by hand (join or transfer), and the queue is never
 * drained for it automatically. Otherwise the routing decision, with the customer's recent agent
 * first when the settings prefer them.
 */
export function decideChatRouting(
  chat: ChatToRoute,
  agents: readonly AgentLoad[],
  settings: Pick<RoutingSettings, 'manualRouting' | 'preferRecentAgent'>,
): RoutingDecision {
  if (settings.manualRouting) return { type: 'queue' };
  const recentAgentId = settings.preferRecentAgent ? chat.recentAgentId : undefined;
  return decideRouting({ ...chat, recentAgentId }, agents);
}

/** The group whose settings apply to a chat: its first group, group 0 when it has none. */
export function settingsGroupOf(chatGroupIds: readonly number[]): number {
  return chatGroupIds[0] ?? generalGroupId;
}

export function decideRouting(chat: ChatToRoute, agents: readonly AgentLoad[]): RoutingDecision {
  const candidates = agents
    .filter((agent) => canBeRoutedTo(agent, chat.groupIds) && isWanted(agent, chat))
    .map((agent) => ({ agent, rank: priorityRank[priorityFor(agent, chat.groupIds)] }));
  const recent = candidates.find(({ agent }) => agent.agentId === chat.recentAgentId);
  const best = recent ?? candidates.sort(compareCandidates)[0];
  return best ? { type: 'assign', agentId: best.agent.agentId } : { type: 'queue' };
}

/** Whether the chat's routing properties leave the agent (or bot) among its candidates. */
function isWanted(agent: AgentLoad, chat: ChatToRoute): boolean {
  return agent.isBot === true ? chat.ignoreBots !== true : chat.ignoreAgents !== true;
}

/** The agent's best priority among the chat's groups (group 0 or none: their group 0 priority). */
export function priorityFor(agent: AgentLoad, chatGroupIds: readonly number[]): GroupPriority {
  const priorities = agent.groupPriorities ?? {};
  const groups =
    chatGroupIds.length === 0 || chatGroupIds.includes(generalGroupId)
      ? [generalGroupId]
      : chatGroupIds.filter((groupId) => agent.groupIds.includes(groupId));
  let best: GroupPriority | undefined;
  for (const groupId of groups) {
    const priority = priorities[groupId] ?? 'normal';
    if (!best || priorityRank[priority] < priorityRank[best]) best = priority;
  }
  return best ?? 'normal';
}

/** Whether automatic routing may give the agent a chat of these groups now (not a supervisor). */
export function canBeRoutedTo(agent: AgentLoad, chatGroupIds: readonly number[]): boolean {
  return canTake(agent, chatGroupIds) && priorityFor(agent, chatGroupIds) !== 'supervisor';
}

/** Whether the agent could take a chat of these groups now, by routing or by hand. */
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

function compareCandidates(
  { agent: a, rank: rankA }: { agent: AgentLoad; rank: number },
  { agent: b, rank: rankB }: { agent: AgentLoad; rank: number },
): number {
  return (
    rankA - rankB ||
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
  /** Its group routes by hand: it waits for an agent to pick it up, never served from here. */
  manualRouting?: boolean | undefined;
}

export interface PlannedAssignment {
  chat: WaitingChat;
  agentId: string;
}

/**
 * Serves the waiting chats, oldest first, with the agents available now. Each assignment counts
 * towards the next decision, so one pass never gives an agent more than their free slots. A chat
 * nobody can take stays waiting and does not block younger chats of other groups; a chat under
 * manual routing stays for an agent to pick up.
 */
export function planQueueDrain(
  waiting: readonly WaitingChat[],
  agents: readonly AgentLoad[],
  now: number,
): PlannedAssignment[] {
  const current = agents.map((agent) => ({ ...agent }));
  const plan: PlannedAssignment[] = [];
  for (const chat of [...waiting].sort(compareWaiting)) {
    if (chat.manualRouting) continue;
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
