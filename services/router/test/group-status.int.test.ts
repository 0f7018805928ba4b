import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCommand, anAgentRequester, errorType } from './factories.ts';
import { type Routers, startRouters } from './harness.ts';

let sut: Routers;

beforeAll(async () => {
  sut = await startRouters({ replicas: 1 });
});

afterAll(async () => {
  await sut.stop();
});

const customer = anAgentRequester({
  organizationId: 'org-groups',
  userId: 'customer-1',
  userType: 'customer',
});

describe('gateway queries about groups', () => {
  it('answers each group online, online_for_queue or offline from the agents accepting chats', async () => {
    const free = anAgentRequester({
      organizationId: 'org-groups',
      userId: 'free@x.io',
      groupIds: [0, 1],
      maxChatsCount: 3,
    });
    const away = anAgentRequester({
      organizationId: 'org-groups',
      userId: 'away@x.io',
      groupIds: [0, 2],
    });
    await sut.execute(aCommand('set_routing_status', free, { status: 'accepting_chats' }));
    await sut.execute(aCommand('set_routing_status', away, { status: 'not_accepting_chats' }));

    const reply = await sut.execute(
      aCommand('list_group_statuses', customer, { group_ids: [0, 1, 2] }),
    );
    expect(reply).toEqual({ groups_status: { '0': 'online', '1': 'online', '2': 'offline' } });
  });

  it('predicts the agent routing would pick, and says why when nobody can take a chat', async () => {
    expect(await sut.execute(aCommand('get_predicted_agent', customer, { group_id: 1 }))).toEqual({
      agent_id: 'free@x.io',
    });
    expect(
      await errorType(sut.execute(aCommand('get_predicted_agent', customer, { group_id: 2 }))),
    ).toBe('group_offline');
    expect(
      await errorType(sut.execute(aCommand('list_group_statuses', customer, { group_ids: 'x' }))),
    ).toBe('validation');
  });
});
