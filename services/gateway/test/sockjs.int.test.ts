import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { agentBasic, type Harness, startHarness } from './harness.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ RTM_PING_INTERVAL_MS: '200' });
});

beforeEach(async () => {
  await harness.stopResponders();
  harness.respond(harness.subjects.chatStoreQuery, () => ({
    chats_summary: [{ id: 'PJ0MRSHTDG' }],
    found_chats: 1,
  }));
  harness.respond(harness.subjects.routerExecute, () => ({}));
});

afterAll(async () => {
  await harness.close();
});

/** A SockJS client speaking the websocket transport by hand: every raw frame is kept. */
async function openSockJs(path: string) {
  const socket = new WebSocket(harness.gateway.url.replace(/^http/, 'ws') + path);
  const raw: string[] = [];
  const wakers = new Set<() => void>();
  socket.on('message', (data) => {
    raw.push(data.toString());
    for (const wake of wakers) wake();
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const messages = () =>
    raw
      .filter((frame) => frame.startsWith('a'))
      .flatMap((frame) => (JSON.parse(frame.slice(1)) as string[]).map((text) => JSON.parse(text)));
  async function until<T>(probe: () => T | undefined): Promise<T> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const value = probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`not seen; frames: ${JSON.stringify(raw)}`);
      await new Promise<void>((resolve) => {
        wakers.add(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
  return {
    raw,
    socket,
    send: (...frames: unknown[]) =>
      socket.send(JSON.stringify(frames.map((frame) => JSON.stringify(frame)))),
    message: (predicate: (frame: Record<string, unknown>) => boolean) =>
      until(() => messages().find(predicate)),
    until,
  };
}

describe('SockJS at …/rtm/sjs', () => {
  it('answers /info the way sockjs-client expects', async () => {
    const response = await fetch(`${harness.gateway.url}/v3.4/agent/rtm/sjs/info?bh=x1`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('no-store');
    const info = (await response.json()) as Record<string, unknown>;
    expect(info).toMatchObject({ websocket: true, origins: ['*:*'], cookie_needed: false });
    expect(typeof info.entropy).toBe('number');
    const other = await fetch(`${harness.gateway.url}/v3.4/agent/rtm/sjs/1/abc/xhr_streaming`, {
      method: 'POST',
    });
    expect(other.status).toBe(404);
  });

  it('opens with o, frames RTM in a[…], logs an agent in and forwards pushes in its version', async () => {
    const client = await openSockJs('/v3.4/agent/rtm/sjs/127/zyrgla2i/websocket?bh=x1');
    await client.until(() => (client.raw[0] === 'o' ? true : undefined));
    client.send({ request_id: 'early', action: 'list_chats', payload: {} });
    const early = await client.message((frame) => frame.request_id === 'early');
    expect(early).toMatchObject({ success: false, payload: { error: { type: 'authentication' } } });

    client.send(
      { request_id: 'login', action: 'login', payload: { token: agentBasic(harness) } },
      { action: 'ping' },
    );
    const login = await client.message((frame) => frame.request_id === 'login');
    expect(login).toMatchObject({ type: 'response', success: true });
    expect((login.payload as Record<string, unknown>).chats_summary).toEqual([
      { id: 'PJ0MRSHTDG' },
    ]);
    await client.message((frame) => frame.action === 'ping' && frame.type === 'response');

    // groups_status_updated came in 3.5: a 3.4 connection never sees it.
    await harness.publishPush('agent@harness.test', {
      action: 'groups_status_updated',
      payloadJson: '{"groups":[]}',
    });
    await harness.publishPush('agent@harness.test', {
      action: 'incoming_event',
      payloadJson: '{"chat_id":"PJ0MRSHTDG"}',
    });
    const push = await client.message((frame) => frame.type === 'push');
    expect(push).toEqual({
      version: '3.4',
      action: 'incoming_event',
      type: 'push',
      payload: { chat_id: 'PJ0MRSHTDG' },
    });
    // Heartbeats keep SockJS clients pinging.
    await client.until(() => (client.raw.includes('h') ? true : undefined));
    client.socket.close();
  });

  it('answers a frame that is not SockJS framing with a validation failure and stays open', async () => {
    const client = await openSockJs('/v3.6/customer/rtm/sjs/0/s2/websocket?organization_id=x');
    client.socket.send('{"action":"login"}');
    client.send({ request_id: 'p', action: 'ping' });
    const failure = await client.message((frame) => frame.success === false);
    expect(failure).toMatchObject({ payload: { error: { type: 'validation' } } });
    await client.message((frame) => frame.request_id === 'p' && frame.success === true);
    client.socket.close();
  });

  it('announces a server-side disconnect with the push, then SockJS c[…]', async () => {
    const client = await openSockJs('/v3.3/agent/rtm/sjs/0/s3/websocket');
    const closed = new Promise((resolve) => client.socket.once('close', resolve));
    const push = await client.message((frame) => frame.action === 'agent_disconnected');
    expect(push.payload).toEqual({ reason: 'unsupported_version' });
    await client.until(() => client.raw.find((frame) => frame.startsWith('c')));
    expect(client.raw.at(-1)).toBe('c[1000,"unsupported_version"]');
    await closed;
  });
});
