import { claimIdempotentRequest, createAgent } from '@threadline/accounts';
import type { Command } from '@threadline/contracts';
import { ProtocolError } from '@threadline/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintOf, requestKeyOf } from '../src/domain/idempotency.ts';
import { agentBasic, type Harness, startHarness } from './harness.ts';
import { TestSocket } from './rtm-client.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ REQUEST_TIMEOUT_MS: '1000' });
});

afterEach(async () => {
  await TestSocket.closeAll();
  await harness.stopResponders();
});

afterAll(async () => {
  await harness?.close();
});

let eventCounter = 0;

/** chat-store stand-in: answers send_event with a new event id per command it runs. */
function chatStore(delayMs = 0): Command[] {
  return harness.respond(harness.subjects.chatStoreExecute, async () => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    eventCounter += 1;
    return { event_id: `EVENT${eventCounter}` };
  });
}

async function sendEvent(
  key: string | undefined,
  text = 'Hello',
  authorization = agentBasic(harness),
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${harness.gateway.url}/v3.6/agent/action/send_event`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization,
      ...(key === undefined ? {} : { 'idempotency-key': key }),
    },
    body: JSON.stringify({ chat_id: 'PJ0MRSHTDG', event: { type: 'message', text } }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const uniqueKey = () => `key-${crypto.randomUUID()}`;

describe('Web API Idempotency-Key', () => {
  it('runs a repeated request once and answers every repeat with the first answer', async () => {
    const received = chatStore();
    const key = uniqueKey();
    const first = await sendEvent(key);
    const second = await sendEvent(key);
    expect(first).toEqual({ status: 200, body: { event_id: expect.any(String) } });
    expect(second).toEqual(first);
    expect(received).toHaveLength(1);
    // The command id comes from the key, so chat-store recognises a repeat that got through.
    expect(received[0]!.commandId).toBe(
      requestKeyOf({
        transport: 'web',
        api: 'agent',
        organizationId: harness.organization.id,
        userId: harness.agent.agent.id,
        key,
      }).commandId,
    );
  });

  it('runs concurrent repeats once: the later ones wait for the first answer', async () => {
    const received = chatStore(200);
    const key = uniqueKey();
    const answers = await Promise.all([sendEvent(key), sendEvent(key), sendEvent(key)]);
    expect(answers[0]!.status).toBe(200);
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(received).toHaveLength(1);
  });

  it('refuses a key used for a different request', async () => {
    chatStore();
    const key = uniqueKey();
    await sendEvent(key, 'Hello');
    const reused = await sendEvent(key, 'Something else');
    expect(reused.status).toBe(400);
    expect(reused.body).toMatchObject({ error: { type: 'validation' } });
  });

  it('keeps keys apart per user', async () => {
    const received = chatStore();
    const colleague = await createAgent(harness.db, {
      organizationId: harness.organization.id,
      email: `colleague-${eventCounter}@harness.test`,
      name: 'Colleague',
    });
    const key = uniqueKey();
    const mine = await sendEvent(key);
    const theirs = await sendEvent(key, 'Hello', `Basic ${colleague.basicCredentials}`);
    expect(received).toHaveLength(2);
    expect(theirs.body.event_id).not.toBe(mine.body.event_id);
  });

  it('answers a repeat with a kept refusal, but runs again after a service was unavailable', async () => {
    let answer: 'not_found' | 'unavailable' | 'ok' = 'not_found';
    const received = harness.respond(harness.subjects.chatStoreExecute, () => {
      if (answer === 'not_found') throw new ProtocolError('not_found', 'Chat not found');
      if (answer === 'unavailable') throw new ProtocolError('service_unavailable', 'Busy');
      return { event_id: 'EVENT_OK' };
    });
    const refusedKey = uniqueKey();
    expect((await sendEvent(refusedKey)).body).toMatchObject({ error: { type: 'not_found' } });
    answer = 'ok';
    expect((await sendEvent(refusedKey)).body).toMatchObject({ error: { type: 'not_found' } });
    expect(received).toHaveLength(1);

    answer = 'unavailable';
    const retriedKey = uniqueKey();
    expect((await sendEvent(retriedKey)).body).toMatchObject({
      error: { type: 'service_unavailable' },
    });
    answer = 'ok';
    expect((await sendEvent(retriedKey)).body).toEqual({ event_id: 'EVENT_OK' });
    expect(received).toHaveLength(3);
    expect(received[2]!.commandId).toBe(received[1]!.commandId);
  });

  it('takes over a request whose gateway went away before answering', async () => {
    const received = chatStore();
    const key = uniqueKey();
    const { id, commandId } = requestKeyOf({
      transport: 'web',
      api: 'agent',
      organizationId: harness.organization.id,
      userId: harness.agent.agent.id,
      key,
    });
    // Another gateway claimed the key a minute ago and never finished.
    const longAgo = new Date(Date.now() - 60_000);
    await claimIdempotentRequest(harness.db, {
      id,
      fingerprint: fingerprintOf('3.6', 'send_event', {
        chat_id: 'PJ0MRSHTDG',
        event: { type: 'message', text: 'Hello' },
      }),
      now: longAgo,
      expiresAt: new Date(Date.now() + 60_000),
    });
    const answer = await sendEvent(key);
    expect(answer.status).toBe(200);
    expect(received.map((command) => command.commandId)).toEqual([commandId]);
  });

  it('does not record reads, and refuses a malformed key', async () => {
    const queries = harness.respond(harness.subjects.chatStoreQuery, () => ({ id: 'PJ0MRSHTDG' }));
    const key = uniqueKey();
    for (let index = 0; index < 2; index += 1) {
      await fetch(`${harness.gateway.url}/v3.6/agent/action/get_chat`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: agentBasic(harness),
          'idempotency-key': key,
        },
        body: JSON.stringify({ chat_id: 'PJ0MRSHTDG' }),
      });
    }
    expect(queries).toHaveLength(2);
    const malformed = await sendEvent('x'.repeat(256));
    expect(malformed.body).toMatchObject({ error: { type: 'validation' } });
  });
});

describe('RTM request_id', () => {
  async function agentSocket(promised = true): Promise<TestSocket> {
    harness.respond(harness.subjects.chatStoreQuery, () => ({ chats_summary: [] }));
    harness.respond(harness.subjects.routerExecute, () => ({}));
    const socket = await TestSocket.open(harness.gateway.url, '/v3.6/agent/rtm/ws');
    await socket.request('login', { token: agentBasic(harness), idempotent_request_ids: promised });
    return socket;
  }

  function sendFrame(socket: TestSocket, requestId: string, text: string) {
    socket.sendRaw(
      JSON.stringify({
        request_id: requestId,
        action: 'send_event',
        payload: { chat_id: 'PJ0MRSHTDG', event: { type: 'message', text } },
      }),
    );
    return socket.response(requestId);
  }

  it('answers a request repeated after a reconnect with the first answer, running it once', async () => {
    const received = chatStore();
    const requestId = uniqueKey();
    const first = await sendFrame(await agentSocket(), requestId, 'Hello');
    const again = await sendFrame(await agentSocket(), requestId, 'Hello');
    expect(first.success).toBe(true);
    expect(again.payload).toEqual(first.payload);
    expect(received).toHaveLength(1);
  });

  it('refuses a request_id reused for a different request', async () => {
    const received = chatStore();
    const requestId = uniqueKey();
    const socket = await agentSocket();
    await sendFrame(socket, requestId, 'Hello');
    socket.frames.length = 0;
    const other = await sendFrame(socket, requestId, 'Another message');
    expect(other.payload).toMatchObject({ error: { type: 'validation' } });
    expect(received).toHaveLength(1);
  });

  it('runs every request of a session that did not promise unique request_ids', async () => {
    const received = chatStore();
    const requestId = uniqueKey();
    await sendFrame(await agentSocket(false), requestId, 'Hello');
    await sendFrame(await agentSocket(false), requestId, 'Hello');
    expect(received).toHaveLength(2);
  });
});
