import { createServer } from 'node:http';
import { context, propagation, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { activeTraceFields, inSpan, SpanKind } from './spans.ts';
import { capturedLogger } from './testing.ts';
import { startTracing } from './tracing.ts';

afterEach(() => {
  trace.disable();
  propagation.disable();
  context.disable();
});

describe('startTracing', () => {
  it('registers nothing without an endpoint: spans are no-ops and logs carry no trace', () => {
    const { logger } = capturedLogger();
    const tracing = startTracing('gateway', {}, logger);
    expect(tracing.enabled).toBe(false);
    const fields = inSpan('agent send_event', { kind: SpanKind.SERVER }, () => activeTraceFields());
    expect(fields).toBeUndefined();
  });

  it('exports to the endpoint, and logs a warning when the collector refuses the spans', async () => {
    const requests: { url: string | undefined; body: string }[] = [];
    const collector = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        requests.push({ url: request.url, body: Buffer.concat(chunks).toString() });
        response.writeHead(400).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const address = collector.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const { logger, lines } = capturedLogger();
    try {
      const tracing = startTracing(
        'chat-store',
        { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` },
        logger,
      );
      expect(tracing.enabled).toBe(true);
      const fields = inSpan('handle send_event', { kind: SpanKind.SERVER }, () =>
        activeTraceFields(),
      );
      expect(fields?.trace_id).toMatch(/^[0-9a-f]{32}$/);
      await tracing.shutdown();
    } finally {
      collector.close();
    }
    expect(requests[0]?.url).toBe('/v1/traces');
    const body = JSON.parse(requests[0]?.body ?? '{}') as {
      resourceSpans: { scopeSpans: { spans: { name: string; traceId: string }[] }[] }[];
    };
    expect(body.resourceSpans[0]?.scopeSpans[0]?.spans[0]).toMatchObject({
      name: 'handle send_event',
    });
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'sending traces' }));
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 40, component: 'opentelemetry' }),
    );
  });
});
