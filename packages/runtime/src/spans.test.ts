import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  activeTraceFields,
  currentTraceparent,
  extractContext,
  inSpan,
  markFailed,
  SpanKind,
} from './spans.ts';
import { recordSpans } from './testing.ts';

const spans = recordSpans();
afterAll(() => spans.stop());
beforeEach(() => spans.reset());

const remoteParent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('inSpan', () => {
  it('continues the remote parent and keeps the span active across awaits', async () => {
    const parent = extractContext({ traceparent: remoteParent });
    const seen = await inSpan('agent send_event', { kind: SpanKind.SERVER, parent }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return { fields: activeTraceFields(), traceparent: currentTraceparent() };
    });
    const [span] = spans.finished();
    expect(span?.name).toBe('agent send_event');
    expect(span?.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(span?.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(seen.fields).toEqual({
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      span_id: span?.spanContext().spanId,
    });
    expect(seen.traceparent).toBe(
      `00-0af7651916cd43dd8448eb211c80319c-${span?.spanContext().spanId}-01`,
    );
  });

  it('marks a rejection as an error and passes it on; an expected failure only gets its type', async () => {
    await expect(
      inSpan('handle send_event', { kind: SpanKind.SERVER }, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(
      inSpan(
        'request get_chat',
        { kind: SpanKind.CLIENT, expected: (error) => error instanceof RangeError },
        async () => {
          throw new RangeError('an answer, not a fault');
        },
      ),
    ).rejects.toThrow(RangeError);
    inSpan('handle get_chat', { kind: SpanKind.SERVER }, (span) =>
      markFailed(span, Object.assign(new Error('no chat'), { type: 'not_found' }), {
        expected: true,
      }),
    );
    const [failed, answered, expected] = spans.finished();
    expect(failed?.status.code).toBe(2);
    expect(failed?.attributes['error.type']).toBe('Error');
    expect(answered?.status.code).toBe(0);
    expect(answered?.attributes['error.type']).toBe('RangeError');
    expect(expected?.status.code).toBe(0);
    expect(expected?.attributes['error.type']).toBe('not_found');
  });

  it('has no trace fields or traceparent outside a span', () => {
    expect(activeTraceFields()).toBeUndefined();
    expect(currentTraceparent()).toBeUndefined();
  });
});
