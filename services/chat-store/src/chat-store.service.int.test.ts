import { credentials } from '@grpc/grpc-js';
import { ChatStoreClient, type Command, type Reply } from '@threadline/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadChatStoreConfig } from './config.ts';
import { startTestChatStores, type TestChatStores } from './testing/harness.ts';

let sut: TestChatStores;
let client: ChatStoreClient;

beforeAll(async () => {
  sut = await startTestChatStores(1);
  client = new ChatStoreClient(
    `127.0.0.1:${sut.instances[0]!.grpcPort}`,
    credentials.createInsecure(),
  );
});
afterAll(async () => {
  client?.close();
  await sut?.stop();
});

function call(method: 'execute' | 'query', command: Command): Promise<Reply> {
  return new Promise((resolve, reject) =>
    client[method](command, (error, reply) => (error ? reject(error) : resolve(reply))),
  );
}

describe('chat-store service', () => {
  it('serves the same commands and queries over gRPC, errors in the reply', async () => {
    const customer = sut.customer();
    const started = await call('execute', sut.command('start_chat', {}, customer));
    expect(started.success).toBe(true);
    const { chat_id } = JSON.parse(started.payloadJson) as { chat_id: string };

    const chat = await call('query', sut.command('get_chat', { chat_id }, customer));
    expect(JSON.parse(chat.payloadJson)).toMatchObject({ id: chat_id });
    const missing = await call(
      'query',
      sut.command('get_chat', { chat_id: 'NOSUCHCHAT' }, customer),
    );
    expect(missing).toMatchObject({ success: false, error: { type: 'not_found' } });
  });

  it('reports readiness and command metrics on its health port', async () => {
    const base = `http://127.0.0.1:${sut.instances[0]!.healthPort}`;
    await sut.execute('start_chat', {}, sut.customer());
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/chat_store_commands_total\{action="start_chat",outcome="success"/);
    expect(metrics).toMatch(
      /threadline_consumer_pending_messages\{[^}]*consumer="chat-store-projector"[^}]*\} \d+/,
    );
  });

  it('reports every configuration problem at once', () => {
    let message = '';
    try {
      loadChatStoreConfig({ HEALTH_PORT: 'x', THREADLINE_NAMESPACE: 'a.b', STREAM_REPLICAS: '0' });
    } catch (error) {
      message = String(error);
    }
    for (const variable of ['STREAM_REPLICAS', 'HEALTH_PORT', 'THREADLINE_NAMESPACE']) {
      expect(message).toContain(variable);
    }
    expect(loadChatStoreConfig({ DATABASE_URL: 'postgres://db/x' })).toMatchObject({
      namespace: 'tl',
      healthPort: 9101,
      grpcPort: 50051,
      nats: { streamReplicas: 1 },
    });
  });
});
