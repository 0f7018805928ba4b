import { departureWindowMs } from '../domain/queue.ts';
import { type AgentLossDeps, handOverLostAgents } from './agent-loss.ts';
import { deliverAssignment, serveWaitingChats } from './assignments.ts';
import { publishQueuePlaces } from './queue.ts';
import { deliverSystemCommands } from './system-commands.ts';
import { fireDueTimers } from './timers.ts';

export interface HousekeepingOptions {
  intervalMs: number;
  /** An unconfirmed assignment is retried when its last attempt is at least this old. */
  retryAfterMs: number;
  sessionTimeoutMs: number;
  disconnectGraceMs: number;
  /** When this replica started (sessions are expired only after a full timeout of heartbeats). */
  startedAt: Date;
}

/**
 * Work the router does on its own clock, on every replica. Each task is safe to run on several
 * replicas at once (claims with SKIP LOCKED, organization locks, idempotent deletes).
 */
type HousekeepingTask = (deps: AgentLossDeps, options: HousekeepingOptions) => Promise<void>;

const closedThreadMemoryMs = 24 * 60 * 60 * 1000;

/** Decisions whose delivery failed (chat-store down, crash after recording): deliver them again. */
const retryUnconfirmedAssignments: HousekeepingTask = async (deps, options) => {
  const now = deps.clock.now();
  const triedBefore = new Date(now.getTime() - options.retryAfterMs);
  const due = await deps.store.claimUnconfirmedAssignments(triedBefore, now, 50);
  const results = await Promise.all(due.map((assignment) => deliverAssignment(deps, assignment)));
  const freedIn = new Set(
    due.filter((_, index) => results[index] === 'dropped').map((a) => a.organizationId),
  );
  for (const organizationId of freedIn) await serveWaitingChats(deps, organizationId);
};

/**
 * Waiting chats whose trigger was lost (a replica stopped between a status change and serving),
 * and their places told again as the wait estimates age.
 */
const serveAllWaitingChats: HousekeepingTask = async (deps) => {
  for (const organizationId of await deps.store.organizationsWithWaitingChats()) {
    await serveWaitingChats(deps, organizationId);
    await publishQueuePlaces(deps, organizationId);
  }
};

/** System commands chat-store did not answer (it was down, or a replica crashed mid-way). */
const retrySystemCommands: HousekeepingTask = async (deps, options) => {
  const now = deps.clock.now();
  const triedBefore = new Date(now.getTime() - options.retryAfterMs);
  await deliverSystemCommands(
    deps,
    await deps.systemCommands.claimUndelivered(triedBefore, now, 50),
  );
};

/** Closed threads past any redelivery, and queue departures past the estimates' window. */
const forgetOldClosedThreads: HousekeepingTask = async (deps) => {
  const now = deps.clock.now().getTime();
  await deps.store.pruneClosedThreads(new Date(now - closedThreadMemoryMs));
  await deps.store.pruneQueueDepartures(new Date(now - departureWindowMs));
};

/**
 * Sessions of a gateway that stopped sending heartbeats (it crashed): their agents are offline,
 * their chats handed on after the grace period like any lost connection.
 */
const expireSessions: HousekeepingTask = async (deps, options) => {
  const now = deps.clock.now();
  // Just started: gateways' heartbeats have not had the time to renew what they hold.
  if (now.getTime() - options.startedAt.getTime() < options.sessionTimeoutMs) return;
  const gone = await deps.sessions.expire(new Date(now.getTime() - options.sessionTimeoutMs), now, {
    reason: 'disconnected',
    at: new Date(now.getTime() + options.disconnectGraceMs),
  });
  for (const { organizationId, agentId } of gone) {
    await deps.pushes.routingStatusSet(organizationId, agentId, 'offline', {});
  }
};

const tasks: readonly HousekeepingTask[] = [
  expireSessions,
  handOverLostAgents,
  retryUnconfirmedAssignments,
  retrySystemCommands,
  fireDueTimers,
  serveAllWaitingChats,
  forgetOldClosedThreads,
];

export function startHousekeeping(deps: AgentLossDeps, options: HousekeepingOptions) {
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  let stopped = false;

  const tick = async () => {
    for (const task of tasks) {
      if (stopped) return;
      try {
        await task(deps, options);
      } catch (error) {
        deps.logger.warn({ err: error, task: task.name }, 'housekeeping task failed');
      }
    }
  };
  const schedule = () => {
    timer = setTimeout(() => {
      current = tick().finally(() => {
        if (!stopped) schedule();
      });
    }, options.intervalMs);
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
