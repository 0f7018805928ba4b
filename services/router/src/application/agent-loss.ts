import { decideHandovers, type Handover } from '../domain/agent-loss.decide.ts';
import { departureWindowMs, queuePlaces } from '../domain/queue.ts';
import { settingsGroupOf } from '../domain/routing.decide.ts';
import type { RoutingSettings } from '../domain/routing-settings.ts';
import { type AssignmentDeps, agentOf } from './assignments.ts';
import type {
  AgentCandidate,
  AgentSessionsPort,
  AgentThread,
  LostAgent,
  OrganizationRouting,
  SystemCommand,
} from './ports.ts';
import { archiveCommand, deliverSystemCommands, unassignCommand } from './system-commands.ts';

export interface AgentLossDeps extends AssignmentDeps {
  sessions: AgentSessionsPort;
}

/** Losses handled per housekeeping round; the rest wait for the next. */
const lossesPerRound = 20;
/** A claimed loss not handed on by then (the replica died) is claimed again. */
const lossLeaseMs = 60_000;

/**
 * Hands on the chats of agents whose loss fell due (spec §7.6): the grace period after their last
 * connection ended passed, they logged out, or their account was suspended or deleted.
 */
export async function handOverLostAgents(deps: AgentLossDeps): Promise<void> {
  const now = deps.clock.now();
  const lost = await deps.sessions.claimLost(
    now,
    lossesPerRound,
    new Date(now.getTime() + lossLeaseMs),
  );
  for (const agent of lost) {
    await handOverChatsOf(deps, agent, now);
    await deps.sessions.clearLost(agent.organizationId, agent.agentId, agent.key);
  }
}

/**
 * Decides, under the organization's lock, what becomes of each chat the agent is in, records the
 * commands (ids from the loss, so deciding again changes nothing) and the new agents' pending
 * load, then sends them. Threads with a hand-over already under way are left to it.
 */
export async function handOverChatsOf(
  deps: AssignmentDeps,
  lost: LostAgent,
  now: Date,
): Promise<void> {
  const commands = await deps.store.inOrganization(lost.organizationId, async (routing) => {
    const threads = (await routing.threadsOfAgent(lost.agentId)).filter(
      (thread) => !thread.handingOver,
    );
    if (threads.length === 0) return [];
    const candidates = (await routing.agentCandidates()).filter(
      (agent) => agent.agentId !== lost.agentId,
    );
    const settings = await settingsByGroup(routing, threads);
    const waiting = await routing.waitingChats();
    const handovers = decideHandovers(threads, {
      agents: candidates,
      waitingNow: waiting.length,
      settingsOf: (thread) => settings.get(settingsGroupOf(thread.groupIds))!,
    });
    const departures = await routing.queueDepartures(new Date(now.getTime() - departureWindowMs));
    const commands: SystemCommand[] = [];
    for (const [index, thread] of threads.entries()) {
      const handover = handovers[index]!;
      if (handover.type === 'assign') {
        await routing.recordPendingAssignment(
          thread.chatId,
          thread.threadId,
          handover.agentId,
          now,
        );
      }
      const place =
        handover.type === 'requeue'
          ? queuePlaces(
              [...waiting, { ...thread, queuedAt: now.getTime() }],
              departures,
              now.getTime(),
            ).get(thread.chatId)
          : undefined;
      commands.push(commandFor(lost, thread, handover, { candidates, place, now }));
    }
    return routing.recordSystemCommands(commands, now);
  });
  await deliverSystemCommands(deps, commands);
}

function commandFor(
  lost: LostAgent,
  thread: AgentThread,
  handover: Handover,
  context: {
    candidates: readonly AgentCandidate[];
    place: ReturnType<ReturnType<typeof queuePlaces>['get']>;
    now: Date;
  },
): SystemCommand {
  const ref = { organizationId: lost.organizationId, ...thread };
  const decision = `lost:${lost.key}`;
  const base = { agentId: lost.agentId, reason: lost.reason, decision, now: context.now };
  switch (handover.type) {
    case 'leave':
      return unassignCommand(ref, base);
    case 'assign': {
      const agent = context.candidates.find((one) => one.agentId === handover.agentId);
      return unassignCommand(ref, { ...base, assignTo: agentOf(agent, handover.agentId) });
    }
    case 'requeue':
      return unassignCommand(ref, { ...base, queue: context.place });
    case 'archive':
      return archiveCommand(ref, lost.reason, {
        agentId: lost.agentId,
        decision,
        now: context.now,
      });
    default: {
      const unknown: never = handover;
      throw new Error(`unknown hand-over ${JSON.stringify(unknown)}`);
    }
  }
}

async function settingsByGroup(
  routing: OrganizationRouting,
  threads: readonly AgentThread[],
): Promise<Map<number, RoutingSettings>> {
  const settings = new Map<number, RoutingSettings>();
  for (const group of new Set(threads.map((thread) => settingsGroupOf(thread.groupIds)))) {
    settings.set(group, await routing.settings(group));
  }
  return settings;
}
