import type { NatsConnection } from '@nats-io/nats-core';
import { callService, chatStoreExecuteSubject, type Subjects } from '@threadline/bus';
import { Command } from '@threadline/contracts';
import { type ErrorType, ProtocolError, stableVersion } from '@threadline/protocol';
import type { ChatStoreOutcome, ChatStorePort, SystemCommand } from '../../application/ports.ts';

/** Errors that say "not now" rather than "no": the command is sent again later. */
const transientErrors: readonly ErrorType[] = [
  'service_unavailable',
  'request_timeout',
  'internal',
  'too_many_requests',
];

/**
 * chat-store's internal system actions (docs/internal-contracts.md). Every attempt at one decision
 * carries the same command id and time, so chat-store absorbs the repeats of a retried command.
 */
export function createChatStoreClient(
  connection: NatsConnection,
  subjects: Subjects,
  options: { timeoutMs: number },
): ChatStorePort {
  return {
    async execute(command) {
      try {
        // To the replica that has the chat's aggregate cached (bus/chat-affinity.ts).
        const subject = chatStoreExecuteSubject(subjects, command.organizationId, command.payload);
        await callService(connection, subject, commandOf(command), {
          ...options,
          fallbackSubject: subjects.chatStoreExecute,
        });
        return { type: 'done' };
      } catch (error) {
        return outcomeOf(error);
      }
    },
  };
}

export function commandOf(command: SystemCommand): Command {
  return Command.fromPartial({
    commandId: command.commandId,
    // The router acts on its own behalf: chat-store needs a user id, and `system` admits this one.
    requester: { organizationId: command.organizationId, userId: 'router', userType: 'system' },
    action: command.action,
    payloadJson: JSON.stringify(command.payload),
    apiVersion: stableVersion,
    issuedAt: command.issuedAt.toISOString(),
  });
}

function outcomeOf(error: unknown): ChatStoreOutcome {
  if (!(error instanceof ProtocolError)) return { type: 'unavailable', reason: String(error) };
  if (error.type === 'chat_inactive') return { type: 'thread_inactive' };
  if (transientErrors.includes(error.type)) {
    return { type: 'unavailable', reason: `${error.type}: ${error.message}` };
  }
  return { type: 'refused', errorType: error.type, reason: `${error.type}: ${error.message}` };
}
