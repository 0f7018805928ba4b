import { afterEach, describe, expect, it } from 'vitest';
import {
  aChatDeactivatedBatch,
  aCommand,
  anAgentRequester,
  anIncomingChatBatch,
  aUserAddedBatch,
} from './factories.ts';
import { eventually, type Routers, startRouters } from './harness.ts';

const org = 'org1';
let sut: Routers;
let lost: { organizationId: string; agentId: string; reason: string }[];

async function start() {
  lost = [];
  sut = await startRouters({
    replicas: 2,
    routerOptions: {
      onAgentLost: async (organizationId, agentId, reason) => {
        lost.push({ organizationId, agentId, reason });
      },
    },
  });
}

afterEach(async () => {
  await sut.stop();
});

/** As the gateway announces create_agent: the agent's full state. */
function agentCreated(id: string, groups: { id: number; priority: string }[], maxChats = 0) {
  return sut.publishConfigurationChange(org, 'agent_created', {
    id,
    name: id,
    avatar: '',
    max_chats_count: maxChats,
    groups,
    suspended: false,
  });
}

/** Routing settings as the Configuration API sets them: `chats` license or group properties. */
async function setRoutingProperties(values: Record<string, unknown>, groupId?: number) {
  await sut.publishConfigurationChange(
    org,
    groupId === undefined ? 'license_properties_updated' : 'group_properties_updated',
    { ...(groupId === undefined ? {} : { group_id: groupId }), properties: { chats: values } },
  );
}

/** The token carries group 0 only and the old default limit: the configuration must win. */
async function accept(agentId: string) {
  await sut.execute(
    aCommand(
      'set_routing_status',
      anAgentRequester({ userId: agentId, groupIds: [0], maxChatsCount: 0 }),
      { status: 'accepting_chats' },
    ),
  );
}

async function routeChat(chatId: string, groupIds: number[], threadId = `${chatId}-T1`) {
  await sut.publish(anIncomingChatBatch({ chatId, threadId, groupIds }));
  await sut.drained();
}

function agentsOf(chatId: string): string[] {
  return sut.chatStore.calls.filter((call) => call.chatId === chatId).map((call) => call.agentId);
}

async function waitingChatIds() {
  const rows = await sut.db.selectFrom('waiting_chats').select('chat_id').execute();
  return rows.map((row) => row.chat_id).sort();
}

describe('the router keeps the configuration it routes by', () => {
  it('routes by the group priorities of agents it learnt from configuration changes', async () => {
    await start();
    await sut.publishConfigurationChange(org, 'group_created', {
      id: 5,
      name: 'Sales',
      language_code: 'en',
      agent_priorities: {},
    });
    // Ids sort against priority, so only priorities can explain the choices.
    await agentCreated('amy@x.io', [{ id: 5, priority: 'last' }]);
    await agentCreated('zed@x.io', [{ id: 5, priority: 'first' }]);
    await agentCreated('mia@x.io', [{ id: 5, priority: 'normal' }]);
    await sut.configurationApplied();
    for (const agent of ['amy@x.io', 'zed@x.io', 'mia@x.io']) await accept(agent);

    await routeChat('C1', [5]);
    expect(agentsOf('C1')).toEqual(['zed@x.io']);

    // The group's members change: the first agent becomes its supervisor, never routed to.
    await sut.publishConfigurationChange(org, 'group_updated', {
      id: 5,
      agent_priorities: {
        'zed@x.io': 'supervisor',
        'mia@x.io': 'normal',
        'amy@x.io': 'last',
      },
    });
    await sut.configurationApplied();
    await routeChat('C2', [5]);
    await routeChat('C3', [5]);
    expect([...agentsOf('C2'), ...agentsOf('C3')]).toEqual(['mia@x.io', 'mia@x.io']);

    // Deleting the group takes everyone out of it: its chats wait.
    await sut.publishConfigurationChange(org, 'group_deleted', { id: 5 });
    await sut.configurationApplied();
    await routeChat('C4', [5]);
    expect(agentsOf('C4')).toEqual([]);
    expect(await waitingChatIds()).toEqual(['C4']);
  });

  it("limits agents to their own max_chats_count, else the organization's default", async () => {
    await start();
    await setRoutingProperties({ max_agent_active_chats: 1 });
    await agentCreated('a@x.io', [{ id: 0, priority: 'normal' }]);
    await sut.configurationApplied();
    await accept('a@x.io');

    await routeChat('C1', [0]);
    await routeChat('C2', [0]);
    expect(agentsOf('C1')).toEqual(['a@x.io']);
    expect(await waitingChatIds()).toEqual(['C2']);

    // A limit of their own frees a slot: the waiting chat is served without another trigger.
    await sut.publishConfigurationChange(org, 'agent_updated', {
      id: 'a@x.io',
      max_chats_count: 2,
    });
    await sut.configurationApplied();
    await eventually(() => expect(agentsOf('C2')).toEqual(['a@x.io']));
    expect(await waitingChatIds()).toEqual([]);
  });

  it('takes a suspended or deleted agent out of routing and hands their chats on', async () => {
    await start();
    await agentCreated('a@x.io', [{ id: 0, priority: 'normal' }]);
    await agentCreated('b@x.io', [{ id: 0, priority: 'normal' }]);
    await sut.configurationApplied();
    await accept('a@x.io');
    await accept('b@x.io');

    await sut.publishConfigurationChange(org, 'agent_suspended', { id: 'a@x.io' });
    await sut.configurationApplied();
    await routeChat('C1', [0]);
    await routeChat('C2', [0]);
    expect([...agentsOf('C1'), ...agentsOf('C2')]).toEqual(['b@x.io', 'b@x.io']);

    await sut.publishConfigurationChange(org, 'agent_deleted', { id: 'b@x.io' });
    await sut.configurationApplied();
    await routeChat('C3', [0]);
    expect(agentsOf('C3')).toEqual([]);
    expect(lost).toEqual([
      { organizationId: org, agentId: 'a@x.io', reason: 'suspended' },
      { organizationId: org, agentId: 'b@x.io', reason: 'deleted' },
    ]);
    const listed = await sut.execute(
      aCommand('list_routing_statuses', anAgentRequester({ userId: 'c@x.io' })),
    );
    expect(listed).toEqual([]);
  });

  it('queues chats under manual routing for agents to pick up, never assigning them', async () => {
    await start();
    await setRoutingProperties({ manual_routing: true });
    await sut.configurationApplied();
    await accept('a@x.io');

    await routeChat('C1', [0]);
    await routeChat('C2', [0]);
    // Applying a change serves the queue before it is acknowledged: a pass has run.
    await agentCreated('x@x.io', [{ id: 0, priority: 'normal' }]);
    await sut.configurationApplied();
    expect(agentsOf('C1')).toEqual([]);
    expect(await waitingChatIds()).toEqual(['C1', 'C2']);

    // An agent picks C1 up by hand: it leaves the queue and counts as their load.
    await sut.publish(aUserAddedBatch({ chatId: 'C1', agentId: 'a@x.io' }));
    await sut.drained();
    const load = await sut.db.selectFrom('assignments').select(['agent_id', 'routed']).execute();
    expect(load).toEqual([{ agent_id: 'a@x.io', routed: false }]);
    expect(await waitingChatIds()).toEqual(['C2']);

    // A group of the organization may route automatically all the same.
    await setRoutingProperties({ manual_routing: false }, 2);
    await agentCreated('b@x.io', [{ id: 2, priority: 'normal' }]);
    await sut.configurationApplied();
    await accept('b@x.io');
    await routeChat('C3', [2]);
    expect(agentsOf('C3')).toEqual(['b@x.io']);

    // Automatic routing again (the property deleted: back to its default): the queue is served.
    await sut.publishConfigurationChange(org, 'license_properties_deleted', {
      properties: { chats: ['manual_routing'] },
    });
    await sut.configurationApplied();
    await eventually(() => expect(agentsOf('C2')).toEqual(['a@x.io']));
  });

  it('returns a customer to the agent who served them last when the settings say so', async () => {
    await start();
    await setRoutingProperties({ prefer_recent_agent: true });
    await sut.configurationApplied();
    await accept('a@x.io');
    await accept('b@x.io');

    await routeChat('C1', [0]);
    const [served] = agentsOf('C1');
    const other = served === 'a@x.io' ? 'b@x.io' : 'a@x.io';
    await sut.publish(aChatDeactivatedBatch({ chatId: 'C1' }));
    // The recent agent becomes the busier one: two chats against the other's none.
    await sut.publish(aUserAddedBatch({ chatId: 'X1', agentId: served! }));
    await sut.publish(aUserAddedBatch({ chatId: 'X2', agentId: served! }));
    await sut.drained();

    // C1's customer returns: a new thread of the same chat goes to the agent they talked to.
    await routeChat('C1', [0], 'C1-T2');
    expect(agentsOf('C1')).toEqual([served, served]);
    // A new customer goes to the least loaded agent as usual.
    await routeChat('C2', [0]);
    expect(agentsOf('C2')).toEqual([other]);
  });

  it('describes an agent from configuration before they ever set a status', async () => {
    await start();
    await agentCreated('a@x.io', [{ id: 3, priority: 'first' }], 4);
    await sut.configurationApplied();
    const row = await sut.db
      .selectFrom('agents')
      .select(['group_ids', 'group_priorities', 'max_chats_count', 'status', 'configured'])
      .where('agent_id', '=', 'a@x.io')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      group_ids: [0, 3],
      group_priorities: { 0: 'normal', 3: 'first' },
      max_chats_count: 4,
      status: 'offline',
      configured: true,
    });
    const position = await sut.db
      .selectFrom('configuration_positions')
      .select('position')
      .where('organization_id', '=', org)
      .executeTakeFirstOrThrow();
    expect(Number(position.position)).toBe(1);
  });
});
