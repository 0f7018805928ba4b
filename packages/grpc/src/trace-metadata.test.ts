import { Metadata } from '@grpc/grpc-js';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { describe, expect, it } from 'vitest';
import { metadataGetter, metadataSetter } from './trace-metadata.ts';

const propagator = new W3CTraceContextPropagator();
const spanContext = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: 1,
  isRemote: true,
};

describe('gRPC metadata as a trace carrier', () => {
  it('carries a span context from client to server unchanged', () => {
    const metadata = new Metadata();
    propagator.inject(trace.setSpanContext(ROOT_CONTEXT, spanContext), metadata, metadataSetter);
    expect(metadata.get('traceparent')).toEqual([
      '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    ]);
    const extracted = propagator.extract(ROOT_CONTEXT, metadata, metadataGetter);
    expect(trace.getSpanContext(extracted)).toEqual(spanContext);
  });

  it('yields no parent from metadata without a traceparent', () => {
    const extracted = propagator.extract(ROOT_CONTEXT, new Metadata(), metadataGetter);
    expect(trace.getSpanContext(extracted)).toBeUndefined();
  });
});
