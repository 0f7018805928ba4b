import type { NatsConnection } from '@nats-io/nats-core';
import { Command, Push, Reply } from '@threadline/contracts';
import { isErrorType, isServerFault, ProtocolError } from '@threadline/protocol';
import { inSpan, markFailed, SpanKind } from '@threadline/runtime';
import { inConsumerSpan, traceHeaders } from './trace-headers.ts';

/** What a command or query handler returns: the success payload. Failures are thrown ProtocolErrors. */
export type CommandHandler = (command: Command) => Promise<unknown>;

export interface CallOptions {
  timeoutMs?: number;
  /**
   * Where to send the command at once if nobody serves `subject` (a chat-affine partition whose
   * owner died or is handing over: chat-affinity.ts); the retries then go there.
   */
  fallbackSubject?: string;
}

/**
 * Pauses between attempts when nobody serves a subject. "No responders" means the request reached
 * no one, so sending it again is safe; it happens briefly while a service restarts (rolling deploys)
 * or while a new subscription propagates through a NATS cluster.
 */
const noResponderRetryDelaysMs = [25, 50, 100, 200];

/**
 * Sends a command to the service that owns it and returns its success payload, or throws the
 * ProtocolError it answered with. No responder, after a few short retries, means the owning service
 * is down: `service_unavailable`.
 */
export function callService(
  connection: NatsConnection,
  subject: string,
  command: Command,
  options: CallOptions = {},
): Promise<unknown> {
  return inSpan(
    `request ${command.action}`,
    {
      kind: SpanKind.CLIENT,
      attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject },
      expected: (error) => !isServerFault(error),
    },
    () => requestWithRetries(connection, subject, command, options),
  );
}

async function requestWithRetries(
  connection: NatsConnection,
  subject: string,
  command: Command,
  options: CallOptions,
): Promise<unknown> {
  const data = Command.encode(command).finish();
  const headers = traceHeaders();
  let target = subject;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const message = await connection.request(target, data, {
        timeout: options.timeoutMs ?? 15_000,
        ...(headers ? { headers } : {}),
      });
      return unwrapReply(Reply.decode(message.data));
    } catch (error) {
      if (error instanceof ProtocolError) throw error;
      const text = String(error).toLowerCase();
      if (text.includes('503') || text.includes('no responders')) {
        if (options.fallbackSubject && target !== options.fallbackSubject) {
          target = options.fallbackSubject;
          attempt -= 1;
          continue;
        }
        const delay = noResponderRetryDelaysMs[attempt];
        if (delay !== undefined) {
          await new Promise((resolve) => setTimeout(resolve, delay));
          continue;
        }
        throw new ProtocolError(
          'service_unavailable',
          'Service temporarily unavailable',
          undefined,
          {
            cause: error,
          },
        );
      }
      if (text.includes('timeout')) {
        throw new ProtocolError('request_timeout', 'Request timed out', undefined, {
          cause: error,
        });
      }
      throw error;
    }
  }
}

export function unwrapReply(reply: Reply): unknown {
  if (reply.success) return reply.payloadJson ? JSON.parse(reply.payloadJson) : {};
  const type = reply.error?.type ?? 'internal';
  throw new ProtocolError(
    isErrorType(type) ? type : 'internal',
    reply.error?.message ?? 'Internal error',
    reply.error?.dataJson ? JSON.parse(reply.error.dataJson) : undefined,
  );
}

export function replyFor(outcome: { payload: unknown } | { error: unknown }): Reply {
  if ('payload' in outcome) {
    return Reply.fromPartial({ success: true, payloadJson: JSON.stringify(outcome.payload ?? {}) });
  }
  const error =
    outcome.error instanceof ProtocolError
      ? outcome.error
      : new ProtocolError('internal', 'Internal server error');
  return Reply.fromPartial({
    success: false,
    error: {
      type: error.type,
      message: error.message,
      dataJson: error.data === undefined ? '' : JSON.stringify(error.data),
    },
  });
}

/** A subject being served (see serveCommands). */
export interface CommandService {
  /**
   * Stops taking commands and resolves once every command taken has been answered, so a service
   * that shuts down (a rolling deploy) can close its NATS connection and pool after it: a command
   * cut off mid-way would answer `internal`, or nothing, to a caller another replica could serve.
   */
  drain(): Promise<void>;
  /** Stops taking commands at once; those in hand still run. */
  unsubscribe(): void;
}

/**
 * Serves a subject in a queue group, so any replica of the service may answer. Unexpected errors
 * are reported to `onUnexpected` and answered as `internal`; a handler never takes the process down.
 */
export function serveCommands(
  connection: NatsConnection,
  subject: string,
  queue: string,
  handler: CommandHandler,
  onUnexpected: (error: unknown, command: Command | undefined) => void,
): CommandService {
  const inFlight = new Set<Promise<void>>();
  const subscription = connection.subscribe(subject, {
    queue,
    callback: (error, message) => {
      if (error) {
        onUnexpected(error, undefined);
        return;
      }
      let command: Command | undefined;
      const answered = inConsumerSpan(
        `handle ${queue}`,
        message,
        async (span) => {
          let reply: Reply;
          try {
            command = Command.decode(message.data);
            span.updateName(`handle ${command.action}`);
            reply = replyFor({ payload: await handler(command) });
          } catch (handlerError) {
            if (!(handlerError instanceof ProtocolError)) onUnexpected(handlerError, command);
            markFailed(span, handlerError, { expected: !isServerFault(handlerError) });
            reply = replyFor({ error: handlerError });
          }
          message.respond(Reply.encode(reply).finish());
        },
        SpanKind.SERVER,
      );
      inFlight.add(answered);
      void answered.finally(() => inFlight.delete(answered));
    },
  });
  return {
    async drain() {
      await subscription.drain();
      await Promise.all(inFlight);
    },
    unsubscribe() {
      subscription.unsubscribe();
    },
  };
}

export function encodePush(push: Push): Uint8Array {
  return Push.encode(push).finish();
}

export function decodePush(data: Uint8Array): Push {
  return Push.decode(data);
}
