import { type AssignmentDeps, deliverAssignment, serveWaitingChats } from './assignments.ts';

export interface HousekeepingOptions {
  intervalMs: number;
  /** An unconfirmed assignment is retried when its last attempt is at least this old. */
  retryAfterMs: number;
}

/**
 * Work the router does on its own clock, on every replica. Each task is safe to run on several
 * replicas at once (claims with SKIP LOCKED, organization locks, idempotent deletes).
 *
 * Inactivity (closing a thread after 30 idle minutes, spec §7.2, with `routing.idle` then
 * `routing.archived_inactive`) is a later issue and belongs here as one more task: it needs the
 * time of each active thread's last event, which the router can keep from `incoming_event`
 * notifications next to its assignments, and a chat-store command to close a thread as the system.
 */
type HousekeepingTask = (deps: AssignmentDeps, options: HousekeepingOptions) => Promise<void>;

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

/** Waiting chats whose trigger was lost (a replica stopped between a status change and serving). */
const serveAllWaitingChats: HousekeepingTask = async (deps) => {
  for (const organizationId of await deps.store.organizationsWithWaitingChats()) {
    await serveWaitingChats(deps, organizationId);
  }
};

const forgetOldClosedThreads: HousekeepingTask = async (deps) => {
  await deps.store.pruneClosedThreads(new Date(deps.clock.now().getTime() - closedThreadMemoryMs));
};

const tasks: readonly HousekeepingTask[] = [
  retryUnconfirmedAssignments,
  serveAllWaitingChats,
  forgetOldClosedThreads,
];

export function startHousekeeping(deps: AssignmentDeps, options: HousekeepingOptions) {
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
