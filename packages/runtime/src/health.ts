import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';

export interface HealthServerOptions {
  port: number;
  host?: string;
  /** Ready means: dependencies reachable and the service is taking work. */
  isReady: () => Promise<boolean> | boolean;
  registry: Registry;
}

/** A Prometheus registry with Node's default process metrics, labelled with the service name. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * Serves /healthz (the process is alive), /readyz (it can take traffic) and /metrics on a port of
 * its own, so probes and scrapes never queue behind application traffic.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<Server> {
  const server = createServer((request, response) => {
    void (async () => {
      if (request.url === '/healthz') {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      } else if (request.url === '/readyz') {
        const ready = await Promise.resolve(options.isReady()).catch(() => false);
        response
          .writeHead(ready ? 200 : 503, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: ready ? 'ready' : 'not_ready' }));
      } else if (request.url === '/metrics') {
        response.writeHead(200, { 'content-type': options.registry.contentType });
        response.end(await options.registry.metrics());
      } else {
        response.writeHead(404).end();
      }
    })();
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port, options.host ?? '0.0.0.0', resolve),
  );
  return server;
}
