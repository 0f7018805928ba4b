import type { Command } from '@threadline/contracts';
import { ProtocolError } from '@threadline/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agentBasic, eventually, type Harness, startHarness } from './harness.ts';
import { TestSocket } from './rtm-client.ts';

/**
 * A chat's pushes leave in the chat's order on every connection (gateway README, "Gap-free
 * resume"): chat-store stood in for by pushes published straight to the agent's subject.
 */
let harness: Harness;
const gapTimeoutMs = 300;
const chatId = 'PJ0MRSHTDG';
const agentId = 'agent@harness.test';

beforeAll(async () => {
  harness = await startHarness({ RTM_PUSH_GAP_TIMEOUT_MS: String(gapTimeoutMs) });
});

afterEach(async () => {
  await TestSocket.closeAll();
  await harness.stopResponders();
});

afterAll(async () => {
  await harness?.close();
});

/** An incoming_event push of batch `sequence`, whose recipient's previous batch was `previous`. */
function eventPush(sequence: number, previous: number) {
  return {
    action: 'incoming_event',
    payload: {
      chat_id: chatId,
      thread_id: 'K600PKZON8',
      event: { id: `E${sequence}`, type: 'message', text: `number ${sequence}` },
      _threadline: { chat_id: chatId, sequence, index: 0, previous },
    },
  };
}

const publish = (sequence: number, previous: number) => {
  const { action, payload } = eventPush(sequence, previous);
  return harness.publishPush(agentId, { action, payloadJson: JSON.stringify(payload) });
};

/** The agent logged in; chat-store's queries (the gap's replay among them) answered by `query`. */
async function loggedIn(query: (command: Command) => unknown = () => ({})): Promise<TestSocket> {
  harness.respond(harness.subjects.routerExecute, () => ({}));
  harness.respond(harness.subjects.chatStoreQuery, query);
  const socket = await TestSocket.open(harness.gateway.url, '/v3.6/agent/rtm/ws');
  await socket.request('login', { token: agentBasic(harness) });
  return socket;
}

const receivedIds = (socket: TestSocket) =>
  socket.frames
    .filter((frame) => frame.type === 'push' && frame.action === 'incoming_event')
    .map((frame) => (frame.payload as { event: { id: string } }).event.id);

describe('RTM push order', () => {
  it('sends a push that overtook an earlier one of its chat after it', async () => {
    const socket = await loggedIn();
    await publish(3, 1);
    await publish(6, 5);
    await publish(5, 3);
    await publish(7, 6);
    await eventually(() => receivedIds(socket).length === 4);
    expect(receivedIds(socket)).toEqual(['E3', 'E5', 'E6', 'E7']);
  });

  it('reads a gap nobody fills from the log, as the user, and goes on in order', async () => {
    const replays: Command[] = [];
    const socket = await loggedIn((command) => {
      if (command.action !== 'replay_pushes') return {};
      replays.push(command);
      return { status: 'resumed', sequence: 6, pushes: [eventPush(4, 3), eventPush(6, 4)] };
    });
    await publish(3, 1);
    await publish(6, 4);
    await publish(7, 6);
    await eventually(() => receivedIds(socket).length === 2, 100).catch(() => undefined);
    expect(receivedIds(socket)).toEqual(['E3']);
    await eventually(() => receivedIds(socket).length === 4, gapTimeoutMs * 10);
    expect(receivedIds(socket)).toEqual(['E3', 'E4', 'E6', 'E7']);
    expect(replays).toHaveLength(1);
    expect(JSON.parse(replays[0]!.payloadJson)).toMatchObject({
      chat_id: chatId,
      after_sequence: 3,
    });
    expect(replays[0]!.requester).toMatchObject({ userId: agentId, userType: 'agent' });
  });

  it('lets waiting pushes go when the log cannot be read', async () => {
    const socket = await loggedIn((command) => {
      if (command.action === 'replay_pushes') throw new ProtocolError('internal', 'down');
      return {};
    });
    await publish(3, 1);
    await publish(6, 5);
    await eventually(() => receivedIds(socket).length === 2, gapTimeoutMs * 10);
    expect(receivedIds(socket)).toEqual(['E3', 'E6']);
  });
});
