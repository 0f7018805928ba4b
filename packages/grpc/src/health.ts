import type { Server, ServerWritableStream, ServiceDefinition } from '@grpc/grpc-js';
import { HealthImplementation, type ServingStatus } from 'grpc-health-check';

export const healthServiceName = 'grpc.health.v1.Health';

export interface GrpcHealth {
  /** Asks the readiness check once and publishes the answer (Check and every Watch). */
  refresh(): Promise<void>;
  /** NOT_SERVING from now on, whatever readiness says, and every Watch stream is ended. */
  shutDown(): void;
}

/**
 * grpc.health.v1.Health for a server's services and for the server as a whole (service ""). The
 * status follows the same readiness check as the service's /readyz, asked every `intervalMs`:
 * Check answers from the last result, so a probe never waits on the database, and Watch streams
 * hear each change. The status is NOT_SERVING until the first check passes and from shutdown on.
 */
export function addHealth(
  server: Server,
  options: {
    serviceNames: string[];
    isReady: () => Promise<boolean> | boolean;
    intervalMs: number;
  },
): GrpcHealth {
  const names = ['', ...options.serviceNames];
  const health = new HealthImplementation(
    Object.fromEntries(names.map((name) => [name, 'NOT_SERVING' as ServingStatus])),
  );
  // The package's Watch never ends on its own; a server waiting for its calls to finish would
  // wait on these forever, so shutdown ends them after telling them NOT_SERVING.
  const watches = new Set<ServerWritableStream<unknown, unknown>>();
  health.addToServer({
    addService(definition: ServiceDefinition, implementation) {
      const watch = implementation.watch as (call: ServerWritableStream<unknown, unknown>) => void;
      server.addService(definition, {
        ...implementation,
        watch(call: ServerWritableStream<unknown, unknown>) {
          watches.add(call);
          call.on('cancelled', () => watches.delete(call));
          watch(call);
        },
      });
    },
  });
  let current: ServingStatus = 'NOT_SERVING';
  let stopped = false;
  const publish = (status: ServingStatus) => {
    if (status === current) return;
    current = status;
    for (const name of names) health.setStatus(name, status);
  };
  // One check at a time: a slow database must not pile checks up, nor let an old answer land last.
  let checking: Promise<void> | undefined;
  const refresh = () => {
    checking ??= Promise.resolve()
      .then(options.isReady)
      .catch(() => false)
      .then((ready) => {
        if (!stopped) publish(ready ? 'SERVING' : 'NOT_SERVING');
      })
      .finally(() => {
        checking = undefined;
      });
    return checking;
  };
  const timer = setInterval(() => void refresh(), options.intervalMs);
  timer.unref();
  return {
    refresh,
    shutDown() {
      stopped = true;
      clearInterval(timer);
      publish('NOT_SERVING');
      for (const call of watches) call.end();
      watches.clear();
    },
  };
}
