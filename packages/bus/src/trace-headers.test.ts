import { headers } from '@nats-io/nats-core';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { describe, expect, it } from 'vitest';
import { natsHeaderGetter, natsHeaderSetter, traceHeaders } from './trace-headers.ts';

const propagator = new W3CTraceContextPropagator();
const spanContext = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: 1,
  isRemote: true,
};
const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('NATS headers as a trace carrier', () => {
  it('carries a span context from publisher to consumer unchanged', () => {
    const carrier = headers();
    propagator.inject(trace.setSpanContext(ROOT_CONTEXT, spanContext), carrier, natsHeaderSetter);
    expect(carrier.get('traceparent')).toBe(traceparent);
    const extracted = propagator.extract(ROOT_CONTEXT, carrier, natsHeaderGetter);
    expect(trace.getSpanContext(extracted)).toEqual(spanContext);
  });

  it('reads a traceparent however another client capitalised it, and none from no headers', () => {
    const carrier = headers();
    carrier.set('Traceparent', traceparent);
    expect(
      trace.getSpanContext(propagator.extract(ROOT_CONTEXT, carrier, natsHeaderGetter)),
    ).toEqual(spanContext);
    expect(
      trace.getSpanContext(propagator.extract(ROOT_CONTEXT, undefined, natsHeaderGetter)),
    ).toBeUndefined();
  });

  it('makes no headers outside a span, and keeps the ones given', () => {
    expect(traceHeaders()).toBeUndefined();
    const given = headers();
    given.set('Nats-Msg-Id', 'command-1');
    expect(traceHeaders(given)).toBe(given);
    expect(given.keys()).toEqual(['Nats-Msg-Id']);
  });
});
