import type { NatsConnection } from '@nats-io/nats-core';
import { callService, type Subjects } from '@threadline/bus';
import { Command } from '@threadline/contracts';
import { type ErrorType, ProtocolError, stableVersion } from '@threadline/protocol';
import type { AssignmentToDeliver, AssignOutcome, ChatStorePort } from '../../application/ports.ts';

/** Errors that say "not now" rather than "no": the assignment is retried later. */
const transientErrors: readonly ErrorType[] = [
  'service_unavailable',
  'request_timeout',
  'internal',
  'too_many_requests',
];

/**
 * chat-store's internal `assign_agent` (docs/internal-contracts.md). The command id is the same
 * for every attempt at one thread, so chat-store absorbs the repeats of a retried assignment.
 */
export function createChatStoreClient(
  connection: NatsConnection,
  subjects: Subjects,
  options: { timeoutMs: number },
): ChatStorePort {
  return {
    async assignAgent(assignment) {
      try {
        await callService(
          connection,
          subjects.chatStoreExecute,
          assignCommand(assignment),
          options,
        );
        return { type: 'assigned' };
      } catch (error) {
        return outcomeOf(error);
      }
    },
  };
}

export function assignCommand(assignment: AssignmentToDeliver): Command {
  return Command.fromPartial({
    // One decision = one id (its time is recorded with it): a thread routed again after a
    // transfer is a new decision, which chat-store must not absorb as a repeat.
    commandId: `assign:${assignment.chatId}:${assignment.threadId}:${assignment.assignedAt.getTime()}`,
    // The router acts on its own behalf: chat-store needs a user id, and `system` admits this one.
    requester: { organizationId: assignment.organizationId, userId: 'router', userType: 'system' },
    action: 'assign_agent',
    payloadJson: JSON.stringify({
      chat_id: assignment.chatId,
      thread_id: assignment.threadId,
      agent: assignment.agent,
    }),
    apiVersion: stableVersion,
    issuedAt: assignment.assignedAt.toISOString(),
  });
}

function outcomeOf(error: unknown): AssignOutcome {
  if (!(error instanceof ProtocolError)) return { type: 'unavailable', reason: String(error) };
  if (error.type === 'chat_inactive') return { type: 'thread_inactive' };
  if (transientErrors.includes(error.type)) {
    return { type: 'unavailable', reason: `${error.type}: ${error.message}` };
  }
  return { type: 'refused', reason: `${error.type}: ${error.message}` };
}
