import {
  type handleUnaryCall,
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { type CommandHandler, replyFor } from '@threadline/bus';
import type { Command, Reply } from '@threadline/contracts';
import { isServerFault, ProtocolError } from '@threadline/protocol';
import { extractContext, inSpan, markFailed, type Span, SpanKind } from '@threadline/runtime';
import { addHealth, healthServiceName } from './health.ts';
import { addReflection } from './reflection.ts';
import { statusForError } from './status.ts';
import { metadataGetter } from './trace-metadata.ts';

/**
 * One gRPC service: its ts-proto definition and a CommandHandler per rpc, keyed as in the
 * definition (`execute`, `query`). The handlers are the same functions the service serves on NATS;
 * only the transport differs. A success is a Reply with the payload; a protocol failure is a gRPC
 * status (status.ts), since that is what gRPC clients, retries and dashboards look at. NATS keeps
 * failures in the Reply, as its callers expect.
 */
export interface GrpcService {
  definition: ServiceDefinition;
  handlers: Record<string, CommandHandler>;
}

export interface GrpcServer {
  port: number;
  /** Health turns NOT_SERVING, then the server stops taking calls and waits for those in hand. */
  stop(): Promise<void>;
}

/**
 * How long a call without a deadline may take. Calls without one are served rather than refused:
 * grpcurl, Postman and many clients send none by default, and refusing them would turn a missing
 * option into an outage. The bound is the one NATS callers get (bus callService), so a handler that
 * never answers cannot hold a caller or a shutdown forever on either transport.
 */
export const defaultDeadlineMs = 15_000;

export async function startGrpcServer(options: {
  port: number;
  host?: string;
  services: GrpcService[];
  /** The service's readiness, the same check its /readyz answers: drives grpc.health.v1. */
  isReady: () => Promise<boolean> | boolean;
  onUnexpected: (error: unknown) => void;
  defaultDeadlineMs?: number;
  /** How often health asks isReady. */
  readinessIntervalMs?: number;
}): Promise<GrpcServer> {
  const server = new Server();
  const serviceNames: string[] = [];
  for (const service of options.services) {
    const implementation: UntypedServiceImplementation = {};
    for (const [name, handler] of Object.entries(service.handlers)) {
      const path = service.definition[name]?.path ?? `/${name}`;
      implementation[lowerFirst(name)] = unaryCall(handler, path, {
        defaultDeadlineMs: options.defaultDeadlineMs ?? defaultDeadlineMs,
        onUnexpected: options.onUnexpected,
      });
    }
    server.addService(service.definition, implementation);
    serviceNames.push(...serviceNamesOf(service.definition));
  }
  const health = addHealth(server, {
    serviceNames,
    isReady: options.isReady,
    intervalMs: options.readinessIntervalMs ?? 2_000,
  });
  addReflection(server, [...serviceNames, healthServiceName]);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      `${options.host ?? '0.0.0.0'}:${options.port}`,
      ServerCredentials.createInsecure(),
      (error, boundPort) => (error ? reject(error) : resolve(boundPort)),
    ),
  );
  await health.refresh();
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        health.shutDown();
        server.tryShutdown(() => resolve());
      }),
  };
}

/**
 * Runs the handler for one call and answers once: with its result, its failure as a status, or
 * DEADLINE_EXCEEDED when the caller's deadline (or the default) passes first. The handler cannot be
 * cancelled mid-way, so it runs on, but the caller is answered and the call no longer holds a
 * shutdown; a command that finishes later is kept, as on NATS after a client timeout. Each call is
 * a server span named by its method (`threadline.v1.ChatStore/Execute`), continuing the caller's
 * trace from the call's metadata, and ending when the caller is answered.
 */
function unaryCall(
  handler: CommandHandler,
  path: string,
  options: { defaultDeadlineMs: number; onUnexpected: (error: unknown) => void },
): handleUnaryCall<Command, Reply> {
  const [service = '', method = ''] = path.slice(1).split('/');
  return (call, callback) =>
    inSpan(
      path.slice(1),
      {
        kind: SpanKind.SERVER,
        parent: extractContext(call.metadata, metadataGetter),
        attributes: {
          'rpc.system': 'grpc',
          'rpc.service': service,
          'rpc.method': method,
          'threadline.command.action': call.request.action,
        },
      },
      (span) => new Promise<void>((resolve) => serve(call, callback, span, resolve)),
    );

  function serve(
    call: Parameters<handleUnaryCall<Command, Reply>>[0],
    callback: Parameters<handleUnaryCall<Command, Reply>>[1],
    span: Span,
    done: () => void,
  ): void {
    let answered = false;
    const answer = (error: unknown, payload?: unknown) => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      if (error === undefined) callback(null, replyFor({ payload }));
      else {
        const status = statusForError(error);
        span.setAttribute('rpc.grpc.status_code', status.code);
        markFailed(span, error, { expected: !isServerFault(error) });
        callback(status);
      }
      done();
    };
    const timer = setTimeout(
      () => answer(new ProtocolError('request_timeout', 'Deadline exceeded')),
      remainingMs(call, options.defaultDeadlineMs),
    );
    call.on('cancelled', () => {
      answered = true;
      clearTimeout(timer);
      span.setAttribute('error.type', 'cancelled');
      done();
    });
    handler(call.request).then(
      (payload) => answer(undefined, payload),
      (error: unknown) => {
        if (!(error instanceof ProtocolError)) options.onUnexpected(error);
        answer(error);
      },
    );
  }
}

function remainingMs(call: ServerUnaryCall<Command, Reply>, fallbackMs: number): number {
  const deadline = call.getDeadline();
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  // setTimeout overflows past 2^31 - 1 ms (about 24 days) and would fire at once.
  return Number.isFinite(at) ? Math.min(Math.max(0, at - Date.now()), 2 ** 31 - 1) : fallbackMs;
}

/** `threadline.v1.ChatStore` from the definition's method paths (`/threadline.v1.ChatStore/Execute`). */
function serviceNamesOf(definition: ServiceDefinition): string[] {
  const names = Object.values(definition).map((method) => method.path.split('/')[1] ?? '');
  return [...new Set(names)];
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
