import { Writable } from 'node:stream';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createLogger, type Logger } from './logger.ts';

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

/** A logger writing into an array of parsed lines, for tests of what is logged. */
export function capturedLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('test', 'info', destination), lines };
}

export type { ReadableSpan };
