import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, errorOf, loggedInAgent, webCall } from './clients.ts';
import { agentBasic, type Harness, startHarness } from './harness.ts';
import { TestSocket } from './rtm-client.ts';

/**
 * The cases the hostile-input fuzz test (test/e2e/hostile-input.e2e.test.ts) found, through the
 * gateway's real HTTP and RTM edges: each used to close the socket unanswered or fail `internal`.
 */

const maxBodyBytes = 64 * 1024;
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ MAX_BODY_BYTES: String(maxBodyBytes) });
});

afterEach(async () => {
  await TestSocket.closeAll();
  await harness.stopResponders();
});

afterAll(async () => {
  await harness?.close();
});

/** An agent logged in over RTM (its chats and routing status answered by stand-ins). */
function agentSocket(): Promise<TestSocket> {
  harness.respond(harness.subjects.chatStoreQuery, () => ({ chats_summary: [], found_chats: 0 }));
  harness.respond(harness.subjects.routerExecute, (command) =>
    command.action === 'list_routing_statuses' ? [] : {},
  );
  return loggedInAgent(harness);
}

describe('hostile requests', () => {
  it('answers an RTM frame over the size limit entity_too_large on its request_id', async () => {
    const socket = await agentSocket();
    const requestId = socket.send('send_event', {
      chat_id: 'c1',
      event: { type: 'message', text: 'x' },
      padding: 'p'.repeat(maxBodyBytes),
    });
    const answer = await socket.response(requestId);
    expect([answer.success, errorOf(answer.payload)]).toEqual([false, 'entity_too_large']);
    expect((await socket.request('ping')).success).toBe(true); // the connection lives on
  });

  it('refuses JSON nested thousands of levels deep as validation, over RTM and the Web API', async () => {
    const received = harness.respond(harness.subjects.chatStoreExecute, () => ({ event_id: 'e' }));
    const deep = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
    const socket = await agentSocket();
    socket.sendRaw(
      `{"action":"send_event","request_id":"deep","payload":{"chat_id":"c1","event":{"type":"custom","content":{"x":${deep}}}}}`,
    );
    expect(errorOf((await socket.response('deep')).payload)).toBe('validation');
    const response = await fetch(`${harness.gateway.url}/v3.6/agent/action/send_event`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: agentBasic(harness) },
      body: `{"chat_id":"c1","event":{"type":"rich_message","template_id":"cards","elements":[{"title":${deep}}]}}`,
    });
    const body = (await response.json()) as Record<string, unknown>;
    expect([response.status, errorOf(body)]).toEqual([400, 'validation']);
    expect(received).toEqual([]);
  });

  it('refuses U+0000 and lone surrogates as validation before they reach Postgres', async () => {
    const customer = await aCustomer(harness);
    for (const name of ['a\u0000b', '\ud800']) {
      const answer = await webCall(harness, 'customer', 'update_customer', {
        body: { name },
        authorization: customer.authorization,
      });
      expect([answer.status, errorOf(answer.body)]).toEqual([400, 'validation']);
    }
    const group = await webCall(harness, 'configuration', 'create_group', {
      body: { name: 'Support\u0000' },
      authorization: agentBasic(harness),
    });
    expect([group.status, errorOf(group.body)]).toEqual([400, 'validation']);
  });
});
