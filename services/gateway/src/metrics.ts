import { methodCatalog } from '@threadline/protocol';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The gateway's Prometheus metrics. Method labels are bounded to the catalog (else `unknown`). */
export function createGatewayMetrics(registry: Registry) {
  const registers = [registry];
  return {
    httpRequests: new Counter({
      name: 'gateway_http_requests_total',
      help: 'HTTP requests answered, by route kind, API and status code',
      labelNames: ['route', 'api', 'status'] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: 'gateway_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by route kind',
      labelNames: ['route'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
      registers,
    }),
    methodDuration: new Histogram({
      name: 'gateway_method_duration_seconds',
      help: 'Time to answer a method call, by API, method and transport (web or rtm)',
      labelNames: ['api', 'action', 'transport'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
      registers,
    }),
    rtmConnections: new Gauge({
      name: 'gateway_rtm_connections',
      help: 'Open RTM websocket connections, by API',
      labelNames: ['api'] as const,
      registers,
    }),
    rtmRequests: new Counter({
      name: 'gateway_rtm_requests_total',
      help: 'RTM requests answered, by API, method and outcome (ok or the error type)',
      labelNames: ['api', 'action', 'outcome'] as const,
      registers,
    }),
    pushesDelivered: new Counter({
      name: 'gateway_pushes_delivered_total',
      help: 'Push frames written to RTM connections, by API',
      labelNames: ['api'] as const,
      registers,
    }),
    slowConnections: new Counter({
      name: 'gateway_slow_connections_closed_total',
      help: 'RTM connections cut off because their send buffer grew past the limit',
      labelNames: ['api'] as const,
      registers,
    }),
    disconnects: new Counter({
      name: 'gateway_rtm_disconnects_total',
      help: 'Server-initiated RTM disconnects, by reason',
      labelNames: ['api', 'reason'] as const,
      registers,
    }),
    configurationPublishFailures: new Counter({
      name: 'gateway_configuration_publish_failures_total',
      help: 'Committed configuration changes whose durable message could not be published',
      registers,
    }),
    limitRefusals: new Counter({
      name: 'gateway_limit_refusals_total',
      help: 'Requests and connections refused by a limit: user or address rate, connections per user, origin',
      labelNames: ['limit'] as const,
      registers,
    }),
    pushSubscriptions: new Gauge({
      name: 'gateway_push_subscriptions',
      help: 'NATS push subscriptions: one per connected user, one per organization with agents here',
      registers,
    }),
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;

/** A method name fit for a label: catalog methods as they are, anything else `unknown`. */
export function methodLabel(action: string): string {
  return Object.hasOwn(methodCatalog, action) ? action : 'unknown';
}
