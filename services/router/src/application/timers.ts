import { decideRouting, settingsGroupOf } from '../domain/routing.decide.ts';
import { quietSince, timerMinutes } from '../domain/thread-timers.ts';
import { type AssignmentDeps, agentOf } from './assignments.ts';
import type { DueTimer, SystemCommand } from './ports.ts';
import { deliverSystemCommands, timerCloseCommand, unassignCommand } from './system-commands.ts';

/** Timers claimed per housekeeping round; the rest wait for the next round. */
const timersPerRound = 200;

/**
 * Fires the timers that are due (spec §7.2), on any replica: each is claimed once across
 * replicas and its command recorded in the same transaction, so a crash neither loses nor
 * doubles it. Closing timers become `close_thread_for_routing`; an unanswered chat is handed to
 * another agent.
 */
export async function fireDueTimers(deps: AssignmentDeps): Promise<void> {
  const now = deps.clock.now();
  const { due, commands } = await deps.activeThreads.claimDueTimers(
    now,
    timersPerRound,
    (claimed) => claimed.flatMap((timer) => closeCommandOf(timer, now)),
  );
  await deliverSystemCommands(deps, commands);
  for (const timer of due) {
    if (timer.fired === 'unanswered') await handOverUnanswered(deps, timer, now);
  }
}

function closeCommandOf(timer: DueTimer, now: Date): SystemCommand[] {
  if (timer.fired === 'unanswered') return [];
  return [
    timerCloseCommand(timer, timer.fired, {
      minutes: timerMinutes(timer.timers, timer.fired),
      quietSince: quietSince(timer.activity, timer.fired),
      now,
    }),
  ];
}

/**
 * `transfer_chat_after_min`: the agent carrying the chat did not answer the customer in time; the
 * chat goes to another agent routing would choose (`routing.assigned_inactive`). With nobody else
 * to take it, it stays, and the timer's lease brings it back in a minute.
 */
async function handOverUnanswered(deps: AssignmentDeps, timer: DueTimer, now: Date) {
  const { chatId, threadId, groupIds } = timer;
  const commands = await deps.store.inOrganization(timer.organizationId, async (routing) => {
    const settings = await routing.settings(settingsGroupOf(groupIds));
    if (settings.manualRouting) return [];
    const present = await routing.assignmentsOfThread(chatId, threadId);
    // A hand-over already under way, or nobody to take the chat from.
    if (present.some((assignment) => !assignment.confirmed)) return [];
    const from = present.find((assignment) => assignment.routed) ?? present[0];
    if (!from) return [];
    const candidates = (await routing.agentCandidates()).filter(
      (agent) => !present.some((assignment) => assignment.agentId === agent.agentId),
    );
    const decision = decideRouting({ chatId, threadId, groupIds }, candidates);
    if (decision.type === 'queue') return [];
    await routing.recordPendingAssignment(chatId, threadId, decision.agentId, now);
    const since = quietSince(timer.activity, 'unanswered');
    const agent = candidates.find((candidate) => candidate.agentId === decision.agentId);
    const command = unassignCommand(timer, {
      agentId: from.agentId,
      reason: 'inactive',
      decision: `unanswered:${since}`,
      now,
      assignTo: agentOf(agent, decision.agentId),
      inactiveMinutes: timerMinutes(timer.timers, 'unanswered'),
      quietSince: since,
    });
    return routing.recordSystemCommands([command], now);
  });
  await deliverSystemCommands(deps, commands);
}
