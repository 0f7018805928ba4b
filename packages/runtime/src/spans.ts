import {
  type Attributes,
  type Context,
  context,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type TextMapSetter,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';

/**
 * Span helpers for the edges that carry a trace in or out (HTTP, websocket frames, NATS headers,
 * gRPC metadata, webhook POSTs). They go through the global API, so they cost next to nothing
 * when tracing.ts registered nothing: spans are no-ops, no context is active, nothing is injected.
 */
let cached: { provider: TracerProvider; tracer: Tracer } | undefined;

/**
 * The tracer of the provider registered now: one taken once at import would stay the no-op
 * tracer of a provider that tracing turned off and on again (tests) replaced.
 */
function currentTracer(): Tracer {
  const provider = trace.getTracerProvider();
  if (cached?.provider !== provider)
    cached = { provider, tracer: provider.getTracer('threadline') };
  return cached.tracer;
}

export interface SpanOptions {
  kind: SpanKind;
  /** The remote parent (extractContext); the active context when absent. */
  parent?: Context;
  attributes?: Attributes;
  links?: Link[];
  /** Failures that are answers rather than faults: recorded without an error status. */
  expected?: (error: unknown) => boolean;
}

/**
 * Runs `work` inside a new active span and ends the span when `work` returns or settles. A throw
 * or rejection marks the span failed (unless `expected`) and passes on unchanged; failures that
 * `work` answers rather than throws are its own to mark (markFailed).
 */
export function inSpan<Result>(
  name: string,
  options: SpanOptions,
  work: (span: Span) => Result,
): Result {
  const { parent, expected, ...spanOptions } = options;
  return currentTracer().startActiveSpan(name, spanOptions, parent ?? context.active(), (span) => {
    const fail = (error: unknown) => {
      markFailed(span, error, { expected: expected?.(error) ?? false });
      span.end();
      throw error;
    };
    try {
      const result = work(span);
      if (!(result instanceof Promise)) {
        span.end();
        return result;
      }
      return result.then((value: unknown) => {
        span.end();
        return value;
      }, fail) as Result;
    } catch (error) {
      return fail(error);
    }
  });
}

/**
 * Records a failure on a span: `error.type` always; an error status and the exception only when
 * it was not `expected` (a validation or not-found answer is the protocol working, not a fault).
 */
export function markFailed(span: Span, error: unknown, options: { expected: boolean }): void {
  const type =
    error && typeof error === 'object' && 'type' in error && typeof error.type === 'string'
      ? error.type
      : error instanceof Error
        ? error.name
        : 'error';
  span.setAttribute('error.type', type);
  if (options.expected) return;
  if (error instanceof Error) span.recordException(error);
  const message = error instanceof Error ? error.message : String(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: message.slice(0, 200) });
}

/** The trace context a message or request carries (a new root when it carries none). */
export function extractContext<Carrier>(
  carrier: Carrier,
  getter?: TextMapGetter<Carrier>,
): Context {
  return propagation.extract(ROOT_CONTEXT, carrier, getter);
}

/** Writes the active trace context into an outgoing carrier (headers, metadata). */
export function injectContext<Carrier>(carrier: Carrier, setter?: TextMapSetter<Carrier>): void {
  propagation.inject(context.active(), carrier, setter);
}

/** The span active here, if any (to record an outcome or an event on it). */
export function activeSpan(): Span | undefined {
  return trace.getActiveSpan();
}

/** Whether a span is active here: when none is, there is nothing to inject. */
export function hasActiveSpan(): boolean {
  return trace.getSpanContext(context.active()) !== undefined;
}

/** The active context's `traceparent`, to store with work that continues later (an outbox row). */
export function currentTraceparent(): string | undefined {
  if (!hasActiveSpan()) return undefined;
  const carrier: Record<string, string> = {};
  injectContext(carrier);
  return carrier.traceparent;
}

/** The active span's ids, for log lines (logger.ts), or nothing outside a span. */
export function activeTraceFields(): { trace_id: string; span_id: string } | undefined {
  const spanContext = trace.getSpanContext(context.active());
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return undefined;
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

export type { Context, Span, TextMapGetter, TextMapSetter };
export { SpanKind };
