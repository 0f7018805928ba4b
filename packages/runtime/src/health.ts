import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Readiness } from './readiness.ts';

export interface HealthServerOptions {
  port: number;
  host?: string;
  /** Ready means: dependencies reachable and the service is taking work. */
  readiness: Pick<Readiness, 'report'>;
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
 * Answers /healthz (the process is alive), /readyz (it can take traffic) and /metrics, and returns
 * true; any other path is left alone (false). For services that also answer probes on their main
 * port, next to the health server's own.
 */
export async function handleHealthRequest(
  request: IncomingMessage,
  response: ServerResponse,
  options: Pick<HealthServerOptions, 'readiness' | 'registry'>,
): Promise<boolean> {
  const path = (request.url ?? '').split('?')[0];
  if (path === '/healthz') {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  } else if (path === '/readyz') {
    const { ready, checks } = await options.readiness.report();
    response
      .writeHead(ready ? 200 : 503, { 'content-type': 'application/json' })
      .end(JSON.stringify({ status: ready ? 'ready' : 'not_ready', checks }));
  } else if (path === '/metrics') {
    response.writeHead(200, { 'content-type': options.registry.contentType });
    response.end(await options.registry.metrics());
  } else {
    return false;
  }
  return true;
}

/**
 * Serves /healthz, /readyz and /metrics on a port of its own, so probes and scrapes never queue
 * behind application traffic.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<Server> {
  const server = createServer((request, response) => {
    void handleHealthRequest(request, response, options).then((handled) => {
      if (!handled) response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port, options.host ?? '0.0.0.0', resolve),
  );
  return server;
}
