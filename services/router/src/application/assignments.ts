import type { Logger } from '@threadline/runtime';
import { mayWait } from '../domain/queue.ts';
import {
  type ChatToRoute,
  decideChatRouting,
  planQueueDrain,
  settingsGroupOf,
  type WaitingChat,
} from '../domain/routing.decide.ts';
import type { RoutingSettings } from '../domain/routing-settings.ts';
import { RoutingRaceError } from './errors.ts';
import type {
  ActiveThreadsPort,
  AgentCandidate,
  AssignmentToDeliver,
  ChatStorePort,
  Clock,
  OrganizationRouting,
  PushPort,
  RoutingMetrics,
  RoutingSettingsPort,
  RoutingStore,
  SystemCommand,
  SystemCommandsPort,
  TakenFromQueue,
} from './ports.ts';
import { publishQueuePlaces } from './queue.ts';
import { archiveCommand, assignCommand, deliverSystemCommands } from './system-commands.ts';

/** What the router's use cases work with: its stores, chat-store, pushes, the clock. */
export interface AssignmentDeps {
  store: RoutingStore;
  settings: RoutingSettingsPort;
  activeThreads: ActiveThreadsPort;
  systemCommands: SystemCommandsPort;
  chatStore: ChatStorePort;
  pushes: PushPort;
  clock: Clock;
  metrics: RoutingMetrics;
  logger: Logger;
}

/**
 * `settled`: nothing (more) to do; `retry`: chat-store could not be reached, the decision is kept
 * and must be delivered again later.
 */
export type RoutingResult = 'assigned' | 'queued' | 'settled' | 'dropped' | 'retry';

/**
 * Routes one thread. The decision is made and recorded under the organization's lock, and only
 * then sent to chat-store; a second attempt (redelivery, the other replica) finds the recorded
 * decision and re-sends that one, so a thread never gets two agents nor an agent a slot too many.
 */
export async function routeChat(
  deps: AssignmentDeps,
  organizationId: string,
  chat: ChatToRoute & { version?: number | undefined },
): Promise<RoutingResult> {
  const now = deps.clock.now();
  const step = await deps.store.inOrganization(organizationId, (routing) =>
    decideAndRecord(routing, { organizationId, ...chat }, now),
  );
  if (step.type === 'queued') {
    deps.metrics.assignment('queued');
    await publishQueuePlaces(deps, organizationId);
  }
  if (step.type === 'archived') {
    await deliverSystemCommands(deps, step.commands);
    return 'settled';
  }
  if (step.type !== 'deliver') return step.type;
  const result = await deliverAssignment(deps, {
    organizationId,
    chatId: chat.chatId,
    threadId: chat.threadId,
    agent: agentOf(step.agent, step.agentId),
    assignedAt: step.assignedAt,
  });
  if (result === 'dropped') await serveWaitingChats(deps, organizationId);
  return result;
}

type RecordStep =
  | { type: 'settled' | 'queued' }
  | { type: 'archived'; commands: SystemCommand[] }
  | { type: 'deliver'; agentId: string; agent: AgentCandidate | undefined; assignedAt: Date };

async function decideAndRecord(
  routing: OrganizationRouting,
  chat: ChatToRoute & { organizationId: string; version?: number | undefined },
  now: Date,
): Promise<RecordStep> {
  if (await routing.isThreadClosed(chat.chatId, chat.threadId)) return { type: 'settled' };
  const current = await routing.assignmentsOfThread(chat.chatId, chat.threadId);
  const routed = current.find((assignment) => assignment.routed);
  if (routed && !routed.confirmed) {
    // Decided before but not known to be delivered: deliver the same decision again.
    const agent = await routing.findAgent(routed.agentId);
    return { type: 'deliver', agentId: routed.agentId, agent, assignedAt: routed.assignedAt };
  }
  if (current.length > 0) return { type: 'settled' };
  if (await routing.isWaiting(chat.chatId, chat.threadId)) return { type: 'settled' };
  const settings = await routing.settings(settingsGroupOf(chat.groupIds));
  const candidates = await routing.agentCandidates();
  const recentAgentId = settings.preferRecentAgent
    ? (await routing.recentAgentsOf([chat.chatId])).get(chat.chatId)
    : undefined;
  const decision = decideChatRouting({ ...chat, recentAgentId }, candidates, settings);
  if (decision.type === 'queue') {
    const continuous =
      chat.continuous ?? (await routing.activeThread(chat.chatId))?.continuous ?? false;
    const waitingNow = (await routing.waitingChats()).length;
    if (!mayWait(settings, waitingNow, continuous)) {
      // Nobody can take it and it may not wait: closed, `routing.archived_offline`.
      const command = archiveCommand(chat, 'offline', { decision: 'offline', now });
      return { type: 'archived', commands: await routing.recordSystemCommands([command], now) };
    }
    await routing.enqueue(chat, now);
    return { type: 'queued' };
  }
  const recorded = await routing.recordAssignment({
    chatId: chat.chatId,
    threadId: chat.threadId,
    version: chat.version,
    agentId: decision.agentId,
    routed: true,
    confirmed: false,
    at: now,
  });
  // The lock makes this unreachable; the unique index makes sure. Redelivery will find the row.
  if (!recorded) throw new RoutingRaceError(chat.chatId, chat.threadId);
  const agent = candidates.find((candidate) => candidate.agentId === decision.agentId);
  return { type: 'deliver', agentId: decision.agentId, agent, assignedAt: now };
}

/**
 * Asks chat-store to add the agent. A thread that closed meanwhile, or a refusal, gives the slot
 * back; an unreachable chat-store leaves the decision in place for a retry.
 */
export async function deliverAssignment(
  deps: AssignmentDeps,
  assignment: AssignmentToDeliver,
): Promise<RoutingResult> {
  const { organizationId, chatId, threadId, agent } = assignment;
  const outcome = await deps.chatStore.execute(assignCommand(assignment));
  switch (outcome.type) {
    case 'done':
      await deps.store.confirmAssignment(organizationId, chatId, threadId, agent.id);
      deps.metrics.assignment('assigned');
      return 'assigned';
    case 'thread_inactive':
    case 'refused':
      if (outcome.type === 'refused') {
        deps.logger.error(
          { chatId, threadId, agentId: agent.id, reason: outcome.reason },
          'chat-store refused an assignment',
        );
      }
      await deps.store.inOrganization(organizationId, (routing) =>
        routing.removeUnconfirmedAssignment(chatId, threadId, agent.id),
      );
      deps.metrics.assignment('dropped');
      return 'dropped';
    case 'unavailable':
      deps.logger.warn(
        { chatId, threadId, reason: outcome.reason },
        'assignment not delivered; will retry',
      );
      deps.metrics.assignment('retry');
      return 'retry';
    default: {
      const unknown: never = outcome;
      throw new Error(`unknown chat-store outcome ${JSON.stringify(unknown)}`);
    }
  }
}

/** Rounds of queue serving after which slots freed by dropped assignments wait for the next trigger. */
const maxServingRounds = 3;

/**
 * Gives waiting chats to the agents who can take them now: called when an agent starts accepting
 * chats or a slot frees up. Deliveries that fail stay recorded; housekeeping retries them.
 */
export async function serveWaitingChats(
  deps: AssignmentDeps,
  organizationId: string,
): Promise<void> {
  for (let round = 0; round < maxServingRounds; round += 1) {
    const now = deps.clock.now();
    const planned = await deps.store.inOrganization(organizationId, (routing) =>
      planAndRecord(routing, organizationId, now),
    );
    if (planned.length === 0) return;
    const results = await Promise.all(
      planned.map(async (assignment) => {
        const result = await deliverAssignment(deps, assignment);
        if (result === 'assigned') deps.pushes.takenFromQueue(organizationId, assignment);
        return result;
      }),
    );
    await publishQueuePlaces(deps, organizationId);
    if (!results.includes('dropped')) return;
  }
}

async function planAndRecord(
  routing: OrganizationRouting,
  organizationId: string,
  now: Date,
): Promise<TakenFromQueue[]> {
  const waiting = await withRoutingSettings(routing, await routing.waitingChats());
  if (waiting.length === 0) return [];
  const candidates = await routing.agentCandidates();
  const plan = planQueueDrain(waiting, candidates, now.getTime());
  const deliveries: TakenFromQueue[] = [];
  for (const { chat, agentId } of plan) {
    await routing.dequeue(chat.chatId, chat.threadId, { at: now });
    const assignment = { ...chat, agentId, routed: true, confirmed: false, at: now };
    // A waiting chat that has an assignment anyway is already served: nothing to deliver.
    if (!(await routing.recordAssignment(assignment))) continue;
    const agent = candidates.find((candidate) => candidate.agentId === agentId);
    deliveries.push({
      organizationId,
      chatId: chat.chatId,
      threadId: chat.threadId,
      agent: agentOf(agent, agentId),
      assignedAt: now,
      groupIds: chat.groupIds,
    });
  }
  return deliveries;
}

/**
 * Waiting chats as their group's settings say: those under manual routing marked so (they wait
 * to be picked up), and the recent agent given where the settings prefer recent agents.
 */
async function withRoutingSettings(
  routing: OrganizationRouting,
  waiting: WaitingChat[],
): Promise<WaitingChat[]> {
  const settingsByGroup = new Map<number, RoutingSettings>();
  for (const group of new Set(waiting.map((chat) => settingsGroupOf(chat.groupIds)))) {
    settingsByGroup.set(group, await routing.settings(group));
  }
  const settingsOf = (chat: WaitingChat) => settingsByGroup.get(settingsGroupOf(chat.groupIds))!;
  const preferring = waiting.filter((chat) => settingsOf(chat).preferRecentAgent);
  const recent = await routing.recentAgentsOf(preferring.map((chat) => chat.chatId));
  return waiting.map((chat) => ({
    ...chat,
    manualRouting: settingsOf(chat).manualRouting,
    recentAgentId: recent.get(chat.chatId),
  }));
}

export function agentOf(
  candidate: AgentCandidate | undefined,
  agentId: string,
): AssignmentToDeliver['agent'] {
  return {
    id: agentId,
    name: candidate?.name ?? '',
    email: candidate?.email ?? '',
    avatar: candidate?.avatar ?? '',
  };
}
