import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCommand, anAgentRequester, aUserAddedBatch, errorType } from './factories.ts';
import { type Routers, startRouters } from './harness.ts';

let sut: Routers;

beforeAll(async () => {
  sut = await startRouters({ replicas: 1 });
});

afterAll(async () => {
  await sut.stop();
});

const organizationId = 'org-transfers';
const caller = anAgentRequester({ organizationId, userId: 'caller@x.io' });

describe('gateway queries for transfers', () => {
  it('lists agents accepting chats in the groups, and says whether a target can take a chat', async () => {
    const sales = anAgentRequester({ organizationId, userId: 'sales@x.io', groupIds: [0, 5] });
    const full = anAgentRequester({
      organizationId,
      userId: 'full@x.io',
      groupIds: [0, 6],
      maxChatsCount: 1,
    });
    await sut.execute(aCommand('set_routing_status', sales, { status: 'accepting_chats' }));
    await sut.execute(aCommand('set_routing_status', full, { status: 'accepting_chats' }));
    // full@x.io joins a chat by hand: one active chat, its limit.
    await sut.publish(aUserAddedBatch({ organizationId, chatId: 'F1', agentId: 'full@x.io' }));
    await sut.drained();

    expect(
      await sut.execute(aCommand('list_agents_for_transfer', caller, { group_ids: [5] })),
    ).toEqual([{ agent_id: 'sales@x.io', total_active_chats: 0 }]);
    expect(
      await sut.execute(aCommand('list_agents_for_transfer', caller, { group_ids: [0] })),
    ).toEqual([
      { agent_id: 'sales@x.io', total_active_chats: 0 },
      { agent_id: 'full@x.io', total_active_chats: 1 },
    ]);

    expect(await sut.execute(aCommand('can_accept', caller, { group_ids: [5] }))).toEqual({});
    expect(await errorType(sut.execute(aCommand('can_accept', caller, { group_ids: [6] })))).toBe(
      'group_unavailable',
    );
    expect(await errorType(sut.execute(aCommand('can_accept', caller, { group_ids: [9] })))).toBe(
      'group_offline',
    );
    expect(
      await errorType(sut.execute(aCommand('can_accept', caller, { agent_ids: ['full@x.io'] }))),
    ).toBe('agent_offline');
    expect(await errorType(sut.execute(aCommand('can_accept', caller, { nothing: true })))).toBe(
      'validation',
    );
  });
});
