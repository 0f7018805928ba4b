import type { Command } from '@threadline/contracts';
import { ProtocolError } from '@threadline/protocol';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, webCall } from './clients.ts';
import { agentBasic, type Harness, startHarness } from './harness.ts';

let harness: Harness;
let queries: Command[];
let routerCalls: Command[];
let chatStoreCommands: Command[];

beforeAll(async () => {
  harness = await startHarness();
});

beforeEach(() => {
  // Stand-ins on the real subjects: chat-store knows chat C1 in group 5; the router knows
  // group 5 has a free agent and group 9 nobody.
  queries = harness.respond(harness.subjects.chatStoreQuery, (command) => {
    const { chat_id } = JSON.parse(command.payloadJson) as { chat_id: string };
    if (chat_id !== 'C1') throw new ProtocolError('not_found', 'Chat not found');
    return { id: 'C1', access: { group_ids: [5] }, users: [] };
  });
  routerCalls = harness.respond(harness.subjects.routerExecute, (command) => {
    const payload = JSON.parse(command.payloadJson) as { group_ids?: number[] };
    if (command.action === 'list_agents_for_transfer') {
      return [{ agent_id: 'sales@harness.test', total_active_chats: 1 }];
    }
    if (command.action === 'can_accept' && payload.group_ids?.includes(9)) {
      throw new ProtocolError(
        'group_offline',
        'No agent of the target groups can take the chat now',
      );
    }
    return {};
  });
  chatStoreCommands = harness.respond(harness.subjects.chatStoreExecute, () => ({}));
});

afterEach(async () => {
  await harness.stopResponders();
});

afterAll(async () => {
  await harness?.close();
});

const call = (action: string, body: unknown) =>
  webCall(harness, 'agent', action, { authorization: agentBasic(harness), body });

describe('transfers at the gateway', () => {
  it('lists agents for transfer in the chat groups, read from chat-store as the requester', async () => {
    const answer = await call('list_agents_for_transfer', { chat_id: 'C1' });
    expect(answer).toEqual({
      status: 200,
      body: [{ agent_id: 'sales@harness.test', total_active_chats: 1 }],
    });
    expect(queries[0]?.action).toBe('get_chat');
    expect(queries[0]?.requester?.userId).toBe('agent@harness.test');
    expect(JSON.parse(routerCalls[0]?.payloadJson ?? '')).toEqual({ group_ids: [5] });

    const unknown = await call('list_agents_for_transfer', { chat_id: 'NOPE' });
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown.body)).toBe('not_found');
  });

  it('asks the router whether the target can take the chat, then has chat-store transfer it', async () => {
    const ok = await call('transfer_chat', { id: 'C1', target: { type: 'group', ids: [5] } });
    expect(ok).toEqual({ status: 200, body: {} });
    expect(routerCalls.map((command) => command.action)).toEqual(['can_accept']);
    expect(chatStoreCommands.map((command) => command.action)).toEqual(['transfer_chat']);
    expect(chatStoreCommands[0]?.requester?.userId).toBe('agent@harness.test');

    const refused = await call('transfer_chat', { id: 'C1', target: { type: 'group', ids: [9] } });
    expect(errorOf(refused.body)).toBe('group_offline');
    expect(chatStoreCommands).toHaveLength(1);

    // No target: the chat's current groups; ignore_agents_availability skips the router.
    await call('transfer_chat', { id: 'C1' });
    expect(JSON.parse(routerCalls.at(-1)?.payloadJson ?? '')).toEqual({ group_ids: [5] });
    await call('transfer_chat', {
      id: 'C1',
      target: { type: 'group', ids: [9] },
      ignore_agents_availability: true,
    });
    expect(routerCalls).toHaveLength(3);
    expect(chatStoreCommands).toHaveLength(3);
  });
});
