import type { Logger } from '@threadline/runtime';
import type { AgentLossReason } from '../domain/agent-loss.decide.ts';
import type { QueuePlace } from '../domain/queue.ts';
import type { FiredTimer } from '../domain/thread-timers.ts';
import type {
  AssignmentToDeliver,
  ChatStoreOutcome,
  ChatStorePort,
  RoutingMetrics,
  RoutingStore,
  SystemCommand,
  SystemCommandsPort,
} from './ports.ts';

/**
 * The commands the router sends chat-store as the system (docs/internal-contracts.md), built from
 * its decisions. Ids derive from the decision, never from the attempt: a decision taken twice
 * (redelivery, both replicas, a retry after a crash) is one command, which chat-store absorbs.
 */
export function assignCommand(assignment: AssignmentToDeliver): SystemCommand {
  const { organizationId, chatId, threadId, agent, assignedAt } = assignment;
  return {
    organizationId,
    // One decision = one id (its time is recorded with it): a thread routed again after a
    // transfer is a new decision, which chat-store must not absorb as a repeat.
    commandId: `assign:${chatId}:${threadId}:${assignedAt.getTime()}`,
    action: 'assign_agent',
    payload: { chat_id: chatId, thread_id: threadId, agent },
    issuedAt: assignedAt,
  };
}

export interface ThreadRef {
  organizationId: string;
  chatId: string;
  threadId: string;
}

/** A timer closed the thread: nobody wrote, or the customer did not, since `quietSince`. */
export function timerCloseCommand(
  thread: ThreadRef,
  timer: Exclude<FiredTimer, 'unanswered'>,
  details: { minutes: number; quietSince: number; now: Date },
): SystemCommand {
  const reason = timer === 'inactive' ? 'inactive' : 'customer_inactive';
  return {
    organizationId: thread.organizationId,
    commandId: `${reason}:${thread.chatId}:${thread.threadId}:${details.quietSince}`,
    action: 'close_thread_for_routing',
    payload: {
      chat_id: thread.chatId,
      thread_id: thread.threadId,
      reason,
      inactive_minutes: details.minutes,
      quiet_since: new Date(details.quietSince).toISOString(),
    },
    issuedAt: details.now,
  };
}

/** Nobody can take the thread and it may not wait: `routing.archived_<reason>`. */
export function archiveCommand(
  thread: ThreadRef,
  reason: AgentLossReason | 'offline',
  details: { agentId?: string | undefined; decision: string; now: Date },
): SystemCommand {
  return {
    organizationId: thread.organizationId,
    commandId: `archive:${thread.chatId}:${thread.threadId}:${details.decision}`,
    action: 'close_thread_for_routing',
    payload: {
      chat_id: thread.chatId,
      thread_id: thread.threadId,
      reason,
      ...(details.agentId ? { agent_id: details.agentId } : {}),
    },
    issuedAt: details.now,
  };
}

/**
 * The agent leaves the thread for `reason`: to `assignTo` (`routing.assigned_<reason>`), or back
 * to the queue at `queue` (`routing.unassigned_<reason>`), or only the agent leaves when others
 * stay (chat-store decides that from the chat).
 */
export function unassignCommand(
  thread: ThreadRef,
  details: {
    agentId: string;
    reason: AgentLossReason | 'inactive';
    decision: string;
    now: Date;
    assignTo?: AssignmentToDeliver['agent'] | undefined;
    queue?: QueuePlace | undefined;
    inactiveMinutes?: number | undefined;
    quietSince?: number | undefined;
  },
): SystemCommand {
  return {
    organizationId: thread.organizationId,
    commandId: `unassign:${thread.chatId}:${thread.threadId}:${details.agentId}:${details.decision}`,
    action: 'unassign_agent',
    payload: {
      chat_id: thread.chatId,
      thread_id: thread.threadId,
      agent_id: details.agentId,
      reason: details.reason,
      ...(details.assignTo ? { assign_to: details.assignTo } : {}),
      ...(details.queue
        ? {
            queue: {
              position: details.queue.position,
              wait_time: details.queue.waitTime,
              queued_at: new Date(details.queue.queuedAt).toISOString(),
            },
          }
        : {}),
      ...(details.inactiveMinutes !== undefined
        ? { inactive_minutes: details.inactiveMinutes }
        : {}),
      ...(details.quietSince !== undefined
        ? { quiet_since: new Date(details.quietSince).toISOString() }
        : {}),
    },
    issuedAt: details.now,
  };
}

export interface SystemCommandDeps {
  chatStore: ChatStorePort;
  systemCommands: SystemCommandsPort;
  store: RoutingStore;
  metrics: RoutingMetrics;
  logger: Logger;
}

/**
 * Sends recorded commands. Answered ones leave the outbox, whatever the answer; unanswered ones
 * stay for housekeeping to send again. A hand-over chat-store refuses because the leaving agent
 * is no longer in the chat becomes a plain assignment of the new agent.
 */
export async function deliverSystemCommands(
  deps: SystemCommandDeps,
  commands: readonly SystemCommand[],
): Promise<void> {
  await Promise.all(commands.map((command) => deliverSystemCommand(deps, command)));
}

async function deliverSystemCommand(deps: SystemCommandDeps, command: SystemCommand) {
  const outcome = await deps.chatStore.execute(command);
  deps.metrics.systemCommand(command.action, outcome.type);
  if (outcome.type === 'unavailable') {
    deps.logger.warn(
      { commandId: command.commandId, reason: outcome.reason },
      'system command not delivered; will retry',
    );
    return;
  }
  if (outcome.type === 'refused') await onRefused(deps, command, outcome);
  await deps.systemCommands.settle(command.organizationId, command.commandId);
}

async function onRefused(
  deps: SystemCommandDeps,
  command: SystemCommand,
  outcome: Extract<ChatStoreOutcome, { type: 'refused' }>,
): Promise<void> {
  const payload = command.payload as {
    chat_id: string;
    thread_id: string;
    assign_to?: { id: string };
  };
  // `not_allowed`: the timer's premise no longer holds (someone wrote meanwhile).
  if (outcome.errorType === 'not_allowed') {
    deps.logger.debug({ commandId: command.commandId }, 'timer overtaken by activity');
    if (command.action === 'unassign_agent' && payload.assign_to) {
      await deps.store.settlePendingAssignment(
        command.organizationId,
        payload.chat_id,
        payload.thread_id,
        payload.assign_to.id,
        'drop',
      );
    }
    return;
  }
  if (command.action === 'unassign_agent' && payload.assign_to) {
    // The leaving agent left by themselves meanwhile: the new one joins as routed there; any
    // other refusal leaves the chat as it was, so the new agent's place is given back.
    const how = outcome.errorType === 'not_found' ? 'promote' : 'drop';
    await deps.store.settlePendingAssignment(
      command.organizationId,
      payload.chat_id,
      payload.thread_id,
      payload.assign_to.id,
      how,
    );
    if (how === 'promote') return;
  }
  deps.logger.error(
    { commandId: command.commandId, reason: outcome.reason },
    'chat-store refused a system command',
  );
}
