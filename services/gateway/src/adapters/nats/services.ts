import type { NatsConnection } from '@nats-io/nats-core';
import { callService } from '@threadline/bus';
import type { Services } from '../../application/ports.ts';

/** Services over NATS request/reply; a request waits at most `defaultTimeoutMs` (→ `request_timeout`). */
export function createNatsServices(connection: NatsConnection, defaultTimeoutMs: number): Services {
  return {
    call: (subject, command, options) =>
      callService(connection, subject, command, {
        timeoutMs: options?.timeoutMs ?? defaultTimeoutMs,
        ...(options?.fallbackSubject ? { fallbackSubject: options.fallbackSubject } : {}),
      }),
  };
}
