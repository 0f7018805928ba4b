import { ChatStoreService, Command, RouterService } from '@threadline/contracts';
import { ProtocolError } from '@threadline/protocol';
import { inSpan, SpanKind } from '@threadline/runtime';
import { recordSpans } from '@threadline/runtime/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { checkHealth, createGrpcClient, listServices } from './client.ts';
import { type GrpcServer, startGrpcServer } from './server.ts';

const running: { stop(): unknown }[] = [];
afterEach(async () => {
  for (const item of running.splice(0).reverse()) await item.stop();
});

async function serve(options: {
  query?: (command: Command) => Promise<unknown>;
  isReady?: () => boolean;
  defaultDeadlineMs?: number;
  readinessIntervalMs?: number;
}) {
  const unexpected: unknown[] = [];
  const server: GrpcServer = await startGrpcServer({
    port: 0,
    host: '127.0.0.1',
    services: [
      {
        definition: ChatStoreService,
        handlers: {
          execute: async (command) => ({ echoed: command.action }),
          query: options.query ?? (async () => ({})),
        },
      },
    ],
    isReady: options.isReady ?? (() => true),
    onUnexpected: (error) => unexpected.push(error),
    ...(options.defaultDeadlineMs ? { defaultDeadlineMs: options.defaultDeadlineMs } : {}),
    ...(options.readinessIntervalMs ? { readinessIntervalMs: options.readinessIntervalMs } : {}),
  });
  running.push(server);
  const address = `127.0.0.1:${server.port}`;
  const client = createGrpcClient(ChatStoreService, address, { deadlineMs: 5_000 });
  running.push({ stop: () => client.close() });
  return { server, address, client, unexpected };
}

const command = (action: string) => Command.fromPartial({ action, payloadJson: '{}' });

async function rejection(promise: Promise<unknown>): Promise<ProtocolError> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(ProtocolError);
  return error as ProtocolError;
}

describe('the gRPC transport', () => {
  it('answers a success as a Reply and a protocol failure as its status, type recovered', async () => {
    const { client } = await serve({
      query: async () => {
        throw new ProtocolError('chat_inactive', 'Chat is inactive', { chat_id: 'C1' });
      },
    });
    const reply = await client.execute(command('start_chat'));
    expect(JSON.parse(reply.payloadJson)).toEqual({ echoed: 'start_chat' });
    const error = await rejection(client.query(command('get_chat')));
    expect([error.type, error.message, error.data]).toEqual([
      'chat_inactive',
      'Chat is inactive',
      { chat_id: 'C1' },
    ]);
    expect((error.cause as { code: number }).code).toBe(9); // FAILED_PRECONDITION
  });

  it('answers an unexpected failure as INTERNAL and reports it', async () => {
    const { client, unexpected } = await serve({
      query: async () => {
        throw new Error('boom');
      },
    });
    const error = await rejection(client.query(command('get_chat')));
    expect(error.type).toBe('internal');
    expect(unexpected).toHaveLength(1);
  });

  it("answers DEADLINE_EXCEEDED at the client's deadline, not when the handler finishes", async () => {
    const { client } = await serve({ query: () => new Promise(() => {}) });
    const error = await rejection(client.query(command('get_chat'), { deadlineMs: 200 }));
    expect(error.type).toBe('request_timeout');
    expect((error.cause as { code: number }).code).toBe(4);
  });

  it('bounds a call without a deadline by the server default', async () => {
    const { address } = await serve({
      query: () => new Promise(() => {}),
      defaultDeadlineMs: 300,
    });
    // No deadline at all: only the server's default can end this call.
    const { Client, credentials, Metadata } = await import('@grpc/grpc-js');
    const raw = new Client(address, credentials.createInsecure());
    running.push({ stop: () => raw.close() });
    const method = ChatStoreService.query;
    const error = await new Promise<{ code: number; metadata: InstanceType<typeof Metadata> }>(
      (resolve) =>
        raw.makeUnaryRequest(
          method.path,
          method.requestSerialize,
          method.responseDeserialize,
          command('get_chat'),
          new Metadata(),
          {},
          (failure) => resolve(failure as never),
        ),
    );
    expect(error.code).toBe(4);
    expect(error.metadata.get('threadline-error-type')).toEqual(['request_timeout']);
  });

  it('reports health from readiness and NOT_SERVING once stopping', async () => {
    let ready = false;
    const { server, address } = await serve({
      isReady: () => ready,
      readinessIntervalMs: 50,
    });
    expect(await checkHealth(address)).toBe('NOT_SERVING');
    ready = true;
    await expect.poll(() => checkHealth(address, 'threadline.v1.ChatStore')).toBe('SERVING');
    expect(await checkHealth(address)).toBe('SERVING');
    await expect(checkHealth(address, 'threadline.v1.Nope')).rejects.toMatchObject({
      type: 'not_found',
    });

    const watched: string[] = [];
    const { Client, credentials, Metadata } = await import('@grpc/grpc-js');
    const { service } = await import('grpc-health-check');
    const watch = service.Watch!;
    const raw = new Client(address, credentials.createInsecure());
    const stream = raw.makeServerStreamRequest(
      watch.path,
      watch.requestSerialize,
      watch.responseDeserialize,
      { service: '' },
      new Metadata(),
      {},
    );
    const ended = new Promise((resolve) => stream.on('status', resolve));
    stream.on('data', (response: { status: string }) => watched.push(response.status));
    await expect.poll(() => watched).toEqual(['SERVING']);
    // A server with an open Watch still stops: the watch hears NOT_SERVING, then ends.
    await server.stop();
    await ended;
    raw.close();
    expect(watched).toEqual(['SERVING', 'NOT_SERVING']);
  });

  it('lists its services over reflection', async () => {
    const { address } = await serve({});
    expect((await listServices(address)).sort()).toEqual([
      'grpc.health.v1.Health',
      'threadline.v1.ChatStore',
    ]);
  });

  it('turns a transport failure into the protocol error its status stands for', async () => {
    const client = createGrpcClient(RouterService, '127.0.0.1:1', { deadlineMs: 2_000 });
    running.push({ stop: () => client.close() });
    const error = await rejection(client.execute(command('list_routing_statuses')));
    expect(error.type).toBe('service_unavailable');
  });
});

describe('gRPC tracing', () => {
  it('continues the caller’s trace in a server span per method; expected failures are no errors', async () => {
    const spans = recordSpans();
    try {
      const { client } = await serve({
        query: async () => {
          throw new ProtocolError('not_found', 'Chat not found');
        },
      });
      await inSpan('agent send_event', { kind: SpanKind.SERVER }, async () => {
        await client.execute(command('send_event'));
        await rejection(client.query(command('get_chat')));
      });
      const byKind = (kind: SpanKind) =>
        spans.finished().filter((span) => span.kind === kind && span.name.includes('ChatStore'));
      const [executed, queried] = byKind(SpanKind.SERVER);
      const [executing, querying] = byKind(SpanKind.CLIENT);
      expect(executed?.name).toBe('threadline.v1.ChatStore/Execute');
      expect(executed?.attributes['threadline.command.action']).toBe('send_event');
      expect(executed?.parentSpanContext?.spanId).toBe(executing?.spanContext().spanId);
      expect(executed?.spanContext().traceId).toBe(executing?.spanContext().traceId);
      expect(queried?.parentSpanContext?.spanId).toBe(querying?.spanContext().spanId);
      for (const span of [queried, querying]) {
        expect(span?.attributes['error.type']).toBe('not_found');
        expect(span?.status.code).toBe(0);
      }
    } finally {
      spans.stop();
    }
  });
});
