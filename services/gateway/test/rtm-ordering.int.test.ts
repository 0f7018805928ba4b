import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agentBasic, type Harness, startHarness } from './harness.ts';
import { TestSocket } from './rtm-client.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterEach(async () => {
  await TestSocket.closeAll();
  await harness.stopResponders();
});

afterAll(async () => {
  await harness?.close();
});

describe('RTM frame order', () => {
  it('sends the response before the pushes its request caused, even when they arrive first', async () => {
    harness.respond(harness.subjects.chatStoreQuery, () => ({ chats_summary: [] }));
    harness.respond(harness.subjects.routerExecute, () => ({}));
    // chat-store publishes a request's pushes before it replies; the gateway must reorder them.
    harness.respond(harness.subjects.chatStoreExecute, async (command) => {
      await harness.publishPush('agent@harness.test', {
        action: 'incoming_chat',
        payloadJson: '{"chat":{"id":"PJ0MRSHTDG"}}',
        originConnectionId: command.requester!.connectionId,
        requestId: command.requester!.requestId,
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { chat_id: 'PJ0MRSHTDG', thread_id: 'K600PKZON8' };
    });
    const socket = await TestSocket.open(harness.gateway.url, '/v3.6/agent/rtm/ws');
    await socket.request('login', { token: agentBasic(harness) });
    const requestId = socket.send('start_chat', {});
    await socket.push('incoming_chat');
    const mine = socket.frames.filter((frame) => frame.request_id === requestId);
    expect(mine.map((frame) => `${frame.type} ${frame.action}`)).toEqual([
      'response start_chat',
      'push incoming_chat',
    ]);
  });
});
