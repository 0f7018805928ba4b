import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { createWebClient, RtmClient } from '@threadline/sdk';
import { eventually } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTeam,
  type E2eWorld,
  isChat,
  startE2eWorld,
  startWebhookReceiver,
} from './e2e-world.ts';

/**
 * One `send_event` followed through the platform by its trace: the services export spans over
 * OTLP/HTTP (JSON) to a receiver in this test, the request carries a `traceparent`, and every hop
 * (gateway, chat-store, the stream's consumers, the webhook POST) must continue that trace with
 * the right parent; the webhook carries it on to its receiver, and the gateway's log line names it.
 */

interface ExportedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
}

/** A minimal OTLP/HTTP trace receiver: keeps every span it is sent. */
function startOtlpReceiver(): Promise<{ server: Server; url: string; spans: ExportedSpan[] }> {
  const spans: ExportedSpan[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      spans.push(...spansOf(JSON.parse(Buffer.concat(chunks).toString()) as OtlpRequest));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ server, url: `http://127.0.0.1:${port}`, spans });
    }),
  );
}

interface OtlpRequest {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: {
      spans: { traceId: string; spanId: string; parentSpanId?: string; name: string }[];
    }[];
  }[];
}

function spansOf(request: OtlpRequest): ExportedSpan[] {
  return request.resourceSpans.flatMap((resourceSpans) => {
    const service = resourceSpans.resource.attributes.find((a) => a.key === 'service.name');
    return resourceSpans.scopeSpans.flatMap((scope) =>
      scope.spans.map((span) => ({
        service: service?.value.stringValue ?? '',
        traceId: hex(span.traceId),
        spanId: hex(span.spanId),
        parentSpanId: hex(span.parentSpanId ?? ''),
        name: span.name,
      })),
    );
  });
}

/** OTLP/JSON ids are hex; older exporters sent base64. */
function hex(id: string): string {
  return /^[0-9a-f]*$/.test(id) ? id : Buffer.from(id, 'base64').toString('hex');
}

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const socketTraceId = '5cf92f3577b34da6a3ce929d0e0e4737';
const callerSpanId = '00f067aa0ba902b7';

let world: E2eWorld;
let collector: Awaited<ReturnType<typeof startOtlpReceiver>>;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  [collector, receiver] = await Promise.all([startOtlpReceiver(), startWebhookReceiver()]);
  world = await startE2eWorld({
    name: 'tracing',
    replicas: 1,
    environment: {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      // A machine busy with parallel test files must not time exports out (10 s by default).
      OTEL_EXPORTER_OTLP_TIMEOUT: '30000',
      LOG_LEVEL: 'debug',
    },
  });
});

afterAll(async () => {
  await world?.stop();
  collector?.server.close();
  receiver?.server.close();
});

describe('a traced send_event', () => {
  it('is one trace from the gateway through chat-store and the consumers to the webhook', async () => {
    const team = await createTeam(world.accounts, 'Traced');
    const ann = await team.agent('ann', 'owner');
    const configuration = createWebClient({
      baseUrl: world.gatewayUrls[0]!,
      api: 'configuration',
      credentials: { accountId: ann.agent.accountId, personalAccessToken: ann.pat },
    });
    await configuration.call('register_webhook', {
      action: 'incoming_event',
      secret_key: 'traced-secret',
      url: receiver.url,
      owner_client_id: team.clientId,
      type: 'license',
    });
    await configuration.call('enable_license_webhooks', { owner_client_id: team.clientId });
    // The agent's socket is opened with a traceparent: each of its frames continues that trace.
    const agent = await RtmClient.connect({
      baseUrl: world.gatewayUrls[0]!,
      api: 'agent',
      headers: { traceparent: `00-${socketTraceId}-${callerSpanId}-01` },
    });
    await agent.request('login', { token: `Basic ${ann.basicCredentials}` });
    await agent.request('set_routing_status', { status: 'accepting_chats' });
    const { socket: customer } = await world.connectCustomer(team.organizationId, team.clientId);
    const started = await customer.request('start_chat', {});
    const chatId = String(started.chat_id);
    await agent.waitForPush('incoming_chat', isChat(chatId), 20_000);

    const response = await fetch(`${world.gatewayUrls[0]}/v3.6/agent/action/send_event`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${ann.basicCredentials}`,
        'content-type': 'application/json',
        traceparent: `00-${traceId}-${callerSpanId}-01`,
      },
      body: JSON.stringify({ chat_id: chatId, event: { type: 'message', text: 'traced' } }),
    });
    expect(response.status).toBe(200);
    await customer.waitForPush('incoming_event', isChat(chatId), 20_000);

    const webhook = await eventually(() => {
      const found = receiver.received.find(
        (hook) => (hook.body.payload as { event?: { text?: string } }).event?.text === 'traced',
      );
      if (!found) throw new Error('no webhook yet');
      return found;
    }, 30_000);

    const span = (service: string, name: string) => {
      const found = collector.spans.find(
        (s) => s.traceId === traceId && s.service === service && s.name === name,
      );
      if (!found) throw new Error(`no ${service} span ${name} in the trace yet`);
      return found;
    };
    const chain = await eventually(() => {
      const served = span('gateway', 'agent send_event');
      const requested = span('gateway', 'request send_event');
      const handled = span('chat-store', 'handle send_event');
      const appended = span('chat-store', 'publish chat events');
      const projected = span('chat-store', 'process chat-store-projector');
      const routed = span('router', 'process router');
      const fannedOut = span('webhook', 'process webhook');
      const posted = span('webhook', 'webhook incoming_event');
      const pushed = span('gateway', 'push incoming_event');
      return { served, requested, handled, appended, projected, routed, fannedOut, posted, pushed };
    }, 30_000);
    expect(chain.served.parentSpanId).toBe(callerSpanId);
    expect(chain.requested.parentSpanId).toBe(chain.served.spanId);
    expect(chain.handled.parentSpanId).toBe(chain.requested.spanId);
    expect(chain.appended.parentSpanId).toBe(chain.handled.spanId);
    for (const consumer of [chain.projected, chain.routed, chain.fannedOut]) {
      expect(consumer.parentSpanId).toBe(chain.appended.spanId);
    }
    expect(chain.posted.parentSpanId).toBe(chain.fannedOut.spanId);
    expect(chain.pushed.parentSpanId).toBe(chain.handled.spanId);
    expect(webhook.headers.traceparent).toBe(`00-${traceId}-${chain.posted.spanId}-01`);

    const socketSpans = await eventually(() => {
      const inSocketTrace = collector.spans.filter((s) => s.traceId === socketTraceId);
      const names = inSocketTrace.map((s) => `${s.service} ${s.name}`);
      for (const name of ['gateway agent login', 'gateway agent set_routing_status']) {
        if (!names.includes(name)) throw new Error(`no ${name} in the socket's trace: ${names}`);
      }
      return inSocketTrace;
    }, 30_000);
    const frame = socketSpans.find((s) => s.name === 'agent set_routing_status')!;
    expect(frame.parentSpanId).toBe(callerSpanId);
    expect(socketSpans).toContainEqual(
      expect.objectContaining({ service: 'router', name: 'handle set_routing_status' }),
    );
    await agent.close();

    const gatewayLog = readFileSync(join(world.logDir, 'gateway-0.log'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(gatewayLog).toContainEqual(
      expect.objectContaining({
        msg: 'web api request',
        method: 'send_event',
        trace_id: traceId,
        span_id: chain.served.spanId,
      }),
    );
  });
});
