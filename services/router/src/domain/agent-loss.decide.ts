import { mayWait } from './queue.ts';
import { type AgentLoad, decideRouting } from './routing.decide.ts';
import type { RoutingSettings } from './routing-settings.ts';

/**
 * What becomes of the chats of an agent who is gone (spec §7.6): their RTM connection was lost
 * for longer than the grace period (`disconnected`), they logged out (`signed_out`), were logged
 * out by someone else (`remotely_signed_out`), or their account was suspended or deleted
 * (`deleted`). Names match LiveChat's `routing.*_<reason>` system messages.
 */
export type AgentLossReason =
  | 'disconnected'
  | 'signed_out'
  | 'remotely_signed_out'
  | 'deleted'
  | 'other';

/** An active thread the lost agent is in. */
export interface LostAgentThread {
  chatId: string;
  threadId: string;
  groupIds: readonly number[];
  /** Other agents present: the chat is not left alone, the agent only leaves. */
  otherAgentIds: readonly string[];
  /** Messaging Mode: the chat waits for an agent however long, never archived for it. */
  continuous: boolean;
}

export type Handover =
  | { type: 'leave' }
  | { type: 'assign'; agentId: string }
  | { type: 'requeue' }
  | { type: 'archive' };

export interface HandoverContext {
  /** Everyone routing could give a chat to now, the lost agent not among them. */
  agents: readonly AgentLoad[];
  /** Threads waiting in the organization's queue now. */
  waitingNow: number;
  /** The routing settings of the thread's groups. */
  settingsOf(thread: LostAgentThread): Pick<RoutingSettings, 'manualRouting' | 'queue'>;
}

/**
 * Per thread, in the order given: leave it to the agents still in it; else another agent routing
 * would choose (each hand-over counts towards that agent's load before the next decision); else
 * back to the queue when it may wait (each requeued thread takes a place); else archived. Under
 * manual routing nobody is chosen: the chat waits to be picked up. The same inputs give the same
 * answer on every replica.
 */
export function decideHandovers(
  threads: readonly LostAgentThread[],
  context: HandoverContext,
): Handover[] {
  const agents = context.agents.map((agent) => ({ ...agent }));
  let waiting = context.waitingNow;
  return threads.map((thread): Handover => {
    if (thread.otherAgentIds.length > 0) return { type: 'leave' };
    const settings = context.settingsOf(thread);
    if (!settings.manualRouting) {
      const decision = decideRouting(
        { chatId: thread.chatId, threadId: thread.threadId, groupIds: thread.groupIds },
        agents,
      );
      if (decision.type === 'assign') {
        const agent = agents.find((candidate) => candidate.agentId === decision.agentId)!;
        agent.load += 1;
        return { type: 'assign', agentId: agent.agentId };
      }
    }
    if (!mayWait(settings, waiting, thread.continuous)) return { type: 'archive' };
    waiting += 1;
    return { type: 'requeue' };
  });
}
