import {
  context,
  DiagLogLevel,
  diag,
  propagation,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { Logger } from './logger.ts';
import { type TracingConfig, tracingConfig } from './tracing-config.ts';

export interface Tracing {
  readonly enabled: boolean;
  /** Sends the spans still buffered, then stops; for the lifecycle's last stopper. */
  shutdown(): Promise<void>;
}

/**
 * Turns tracing on for this process when the environment names an OTLP endpoint
 * (tracing-config.ts): registers the tracer provider, AsyncLocalStorage as context manager (so
 * the active span follows the request across awaits) and the W3C trace-context propagator, which
 * every edge (HTTP, websocket, NATS headers, gRPC metadata) uses. Baggage is not propagated:
 * headers from the internet must not become attributes of internal spans. Without an endpoint
 * nothing is registered and every span the code starts is the API's no-op span.
 *
 * Spans are batched (OTEL_BSP_* tune it) and exported as OTLP/HTTP JSON; the exporter reads
 * OTEL_EXPORTER_OTLP_HEADERS and _TIMEOUT itself. OTEL_RESOURCE_ATTRIBUTES (the chart sets the
 * pod's name and namespace there) is added to every span's resource. The SDK's own complaints
 * (an export that failed or timed out, spans dropped from a full queue) go to the service's log
 * as warnings: otherwise a collector that is down loses traces without a word.
 */
export function startTracing(
  service: string,
  env: Record<string, string | undefined>,
  logger: Logger,
): Tracing {
  const config = tracingConfig(env, service);
  if (!config) return { enabled: false, shutdown: async () => {} };
  const warn = (message: string, ...args: unknown[]) =>
    logger.warn({ component: 'opentelemetry', details: args.map(String) }, message);
  diag.setLogger(
    { error: warn, warn, info: () => {}, debug: () => {}, verbose: () => {} },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  logger.info({ tracesUrl: config.tracesUrl, sampler: config.sampler }, 'sending traces');
  const provider = createProvider(config);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    enabled: true,
    shutdown: () =>
      provider.shutdown().catch((error: unknown) => {
        logger.warn({ err: error, component: 'opentelemetry' }, 'last spans not sent');
      }),
  };
}

function createProvider(config: TracingConfig): TracerProvider & { shutdown(): Promise<void> } {
  const resource = detectResources({ detectors: [envDetector] }).merge(
    resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName }),
  );
  return new BasicTracerProvider({
    resource,
    sampler: samplerFor(config.sampler),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracesUrl }))],
  });
}

/** The SDK's samplers by their OTEL_TRACES_SAMPLER names. */
export function samplerFor(sampler: TracingConfig['sampler']): Sampler {
  const ratio = new TraceIdRatioBasedSampler(sampler.ratio);
  switch (sampler.name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio });
    default: {
      const unknown: never = sampler.name;
      throw new Error(`unknown sampler ${String(unknown)}`);
    }
  }
}
