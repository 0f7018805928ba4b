import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agentBasic, type Harness, startHarness } from './harness.ts';
import { TestSocket } from './rtm-client.ts';

let harness: Harness;

// Deadlines shortened so that they can be watched happen; the rules are the production ones.
beforeAll(async () => {
  harness = await startHarness({
    RTM_LOGIN_TIMEOUT_MS: '1500',
    RTM_IDLE_TIMEOUT_MS: '600',
    RTM_PING_INTERVAL_MS: '100',
    REQUEST_TIMEOUT_MS: '400',
    RTM_MAX_BUFFERED_BYTES: '65536',
  });
});

afterEach(async () => {
  await TestSocket.closeAll();
  await harness.stopResponders();
});

afterAll(async () => {
  await harness?.close();
});

async function loggedInAgent(): Promise<TestSocket> {
  harness.respond(harness.subjects.chatStoreQuery, () => ({ chats_summary: [] }));
  harness.respond(harness.subjects.routerExecute, () => ({}));
  const socket = await TestSocket.open(harness.gateway.url, '/v3.6/agent/rtm/ws');
  const response = await socket.request('login', { token: agentBasic(harness) });
  expect(response.success).toBe(true);
  return socket;
}

describe('RTM deadlines', () => {
  it('closes a connection that does not log in in time, saying connection_timeout first', async () => {
    const socket = await TestSocket.open(harness.gateway.url, '/v3.6/agent/rtm/ws');
    const started = Date.now();
    expect((await socket.request('ping')).success).toBe(true);
    expect(await socket.push('agent_disconnected', 5_000)).toMatchObject({
      payload: { reason: 'connection_timeout' },
    });
    await socket.closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
  });

  it('keeps a quiet logged-in client that answers WebSocket pings', async () => {
    const socket = await loggedInAgent();
    await new Promise((resolve) => setTimeout(resolve, 1_800));
    expect(socket.socket.readyState).toBe(socket.socket.OPEN);
    expect((await socket.request('ping')).success).toBe(true);
  });

  it('drops a client that stops answering, with connection_timeout', async () => {
    const socket = await loggedInAgent();
    // Stop reading: pings go unanswered, as with a client that has gone away.
    const raw = (socket.socket as unknown as { _socket: { pause(): void; resume(): void } })
      ._socket;
    raw.pause();
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    raw.resume();
    expect(await socket.push('agent_disconnected')).toMatchObject({
      payload: { reason: 'connection_timeout' },
    });
    await socket.closed;
  });

  it('answers request_timeout when the owning service does not answer in time', async () => {
    const socket = await loggedInAgent();
    harness.respond(harness.subjects.chatStoreExecute, () => new Promise(() => {}));
    // The responder must be subscribed at the server before the request (else: no responders).
    await harness.nats.flush();
    const response = await socket.request('deactivate_chat', { id: 'PJ0MRSHTDG' });
    expect(response).toMatchObject({
      success: false,
      payload: { error: { type: 'request_timeout' } },
    });
  });
});

describe('RTM pushes to a client that does not read', () => {
  // Its own gateway with the production idle timeout: with 600 ms, a loaded machine may pass
  // the client's unanswered pings' deadline before 30 MB of pushes fill its buffer, and the
  // connection_timeout cut would win the race this test is not about.
  beforeAll(async () => {
    await harness.close();
    harness = await startHarness({
      RTM_PING_INTERVAL_MS: '100',
      REQUEST_TIMEOUT_MS: '400',
      RTM_MAX_BUFFERED_BYTES: '65536',
    });
  });

  it('cuts off a client that does not read its pushes instead of buffering them', async () => {
    const socket = await loggedInAgent();
    const raw = (socket.socket as unknown as { _socket: { pause(): void; resume(): void } })
      ._socket;
    raw.pause();
    const big = JSON.stringify({ text: 'x'.repeat(512 * 1024) });
    for (let index = 0; index < 60; index += 1) {
      await harness.publishPush('agent@harness.test', {
        action: 'incoming_multicast',
        payloadJson: big,
      });
    }
    const metrics = async () => (await fetch(`${harness.gateway.url}/metrics`)).text();
    // 30 MB go through NATS first: on a loaded two-core machine that takes a while.
    const deadline = Date.now() + 25_000;
    while (!/gateway_slow_connections_closed_total\{[^}]*\} [1-9]/.test(await metrics())) {
      if (Date.now() > deadline) throw new Error('the slow connection was not cut off');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    raw.resume();
    await socket.closed;
    const received = socket.frames.filter((frame) => frame.action === 'incoming_multicast').length;
    expect(received).toBeLessThan(60);
  });
});
