import type { RoutingSignal } from '../domain/routing-signal.ts';
import {
  agentAssigned,
  agentsGone,
  evolveActivity,
  threadStarted,
} from '../domain/thread-timers.ts';
import { type AssignmentDeps, agentOf, routeChat, serveWaitingChats } from './assignments.ts';
import type { TakenFromQueue } from './ports.ts';
import { publishQueuePlaces } from './queue.ts';

/**
 * Applies what one chat event batch announced. Every step is idempotent, so a batch delivered
 * twice (redelivery, a replica that died before acking) changes nothing the second time.
 * Returns `retry` when the batch must be redelivered later (an assignment chat-store did not take).
 */
export async function applyRoutingSignals(
  deps: AssignmentDeps,
  organizationId: string,
  signals: readonly RoutingSignal[],
): Promise<'done' | 'retry'> {
  let result: 'done' | 'retry' = 'done';
  for (const signal of signals) {
    if ((await applySignal(deps, organizationId, signal)) === 'retry') result = 'retry';
  }
  return result;
}

async function applySignal(
  deps: AssignmentDeps,
  organizationId: string,
  signal: RoutingSignal,
): Promise<'done' | 'retry'> {
  switch (signal.type) {
    case 'chat_needs_agent': {
      const { chatId, threadId, groupIds } = signal;
      let freed = 0;
      if (signal.transferred) {
        // Waiting in its old groups is moot: route it afresh (and queue it again) in the new ones.
        // Nobody is in the thread as of the transfer, whatever joins and leaves are still on
        // their way to this replica.
        freed = await deps.store.inOrganization(organizationId, async (routing) => {
          await routing.dequeue(signal.chatId, signal.threadId);
          return signal.version === undefined
            ? 0
            : routing.emptyThread(signal.chatId, signal.threadId, signal.version);
        });
        await deps.activeThreads.change(organizationId, chatId, threadId, {
          startedAt: signal.at ?? deps.clock.now().getTime(),
          groupIds,
          evolve: agentsGone,
        });
      }
      const { ignoreAgents, ignoreBots, continuous, customerId, version } = signal;
      const result = await routeChat(deps, organizationId, {
        chatId,
        threadId,
        groupIds,
        ignoreAgents,
        ignoreBots,
        continuous,
        customerId,
        version,
      });
      if (freed > 0) await serveWaitingChats(deps, organizationId);
      return result === 'retry' ? 'retry' : 'done';
    }
    case 'agent_joined': {
      const presence = await recordAgentPresence(deps, organizationId, signal);
      if (presence === 'stale') return 'done';
      if (typeof presence === 'object') {
        await publishQueuePlaces(deps, organizationId);
        deps.pushes.takenFromQueue(organizationId, presence.takenFromQueue);
      }
      const at = signal.at ?? deps.clock.now().getTime();
      await deps.activeThreads.change(organizationId, signal.chatId, signal.threadId, {
        startedAt: at,
        evolve: (activity) => agentAssigned(activity, at),
      });
      return 'done';
    }
    case 'thread_started':
      await deps.activeThreads.change(organizationId, signal.chatId, signal.threadId, {
        startedAt: signal.at,
        groupIds: signal.groupIds,
        customerId: signal.customerId,
        continuous: signal.continuous,
        evolve: (activity) => {
          const started = threadStarted(activity, signal.at);
          return signal.activity ? evolveActivity(started, signal.activity) : started;
        },
      });
      return 'done';
    case 'thread_activity':
      await deps.activeThreads.change(organizationId, signal.chatId, signal.threadId, {
        startedAt: signal.at,
        evolve: (activity) => evolveActivity(activity, signal),
      });
      return 'done';
    case 'user_left': {
      const freed = await deps.store.inOrganization(organizationId, (routing) =>
        routing.removeUserFromChat(signal.chatId, signal.userId, signal.version),
      );
      if (freed > 0) await serveWaitingChats(deps, organizationId);
      return 'done';
    }
    case 'thread_closed': {
      const { freed, wasWaiting } = await deps.store.inOrganization(organizationId, (routing) =>
        routing.closeThread(signal.chatId, signal.threadId, deps.clock.now(), signal.version),
      );
      await deps.activeThreads.forget(organizationId, signal.chatId, signal.threadId);
      if (freed > 0) await serveWaitingChats(deps, organizationId);
      else if (wasWaiting) await publishQueuePlaces(deps, organizationId);
      return 'done';
    }
    default: {
      const unknown: never = signal;
      throw new Error(`unknown routing signal ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * An agent is in an active thread: our own assignment arriving (confirm it, in case chat-store's
 * reply was lost), or an agent who joined by hand (their load grows; the chat stops waiting).
 * `stale`: the agent has left since (a later batch, read first), or the thread has closed; a
 * thread that was waiting comes back as taken from the queue, for the agents who saw it wait.
 */
async function recordAgentPresence(
  deps: AssignmentDeps,
  organizationId: string,
  signal: Extract<RoutingSignal, { type: 'agent_joined' }>,
): Promise<'stale' | 'recorded' | { takenFromQueue: TakenFromQueue }> {
  const { chatId, threadId, agentId, version } = signal;
  return deps.store.inOrganization(organizationId, async (routing) => {
    if (await routing.isThreadClosed(chatId, threadId)) return 'stale';
    if (version !== undefined && (await routing.leftSince(chatId, agentId, version))) {
      return 'stale';
    }
    const current = await routing.assignmentsOfThread(chatId, threadId);
    const own = current.find((assignment) => assignment.agentId === agentId);
    if (own) {
      await routing.confirmAssignment(chatId, threadId, agentId, version);
      return 'recorded';
    }
    const at = signal.at === undefined ? deps.clock.now() : new Date(signal.at);
    await routing.recordAssignment({
      chatId,
      threadId,
      agentId,
      routed: false,
      confirmed: true,
      at,
      version,
    });
    const left = await routing.dequeue(chatId, threadId, { at });
    if (!left) return 'recorded';
    const candidates = await routing.agentCandidates();
    const agent = candidates.find((candidate) => candidate.agentId === agentId);
    return {
      takenFromQueue: {
        organizationId,
        chatId,
        threadId,
        agent: agentOf(agent, agentId),
        assignedAt: at,
        groupIds: left.groupIds,
        reason: 'manual',
      },
    };
  });
}
