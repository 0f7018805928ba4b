import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/**
 * Turns tracing on in this process as tracing.ts does, with finished spans kept in memory for a
 * test to read rather than exported; `stop` turns it off again.
 */
export function recordSpans(): {
  finished(): ReadableSpan[];
  reset(): void;
  stop(): void;
} {
  const exporter = new InMemorySpanExporter();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
  );
  return {
    finished: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    stop() {
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

export type { ReadableSpan };
