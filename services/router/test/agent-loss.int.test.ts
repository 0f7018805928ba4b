import { afterEach, describe, expect, it } from 'vitest';
import { aCommand, anAgentRequester, anIncomingChatBatch } from './factories.ts';
import { eventually, type Routers, startRouters } from './harness.ts';

/**
 * Agents' RTM sessions and what becomes of their chats when they are gone (spec §7.6), on two
 * replicas sharing one clock the test moves: the gateway's `agent_connected` /
 * `agent_disconnected` and heartbeats in, chat-store's `unassign_agent` /
 * `close_thread_for_routing` out.
 */
const second = 1000;
const start = Date.parse('2026-12-05T10:00:00.000Z');
let now = start;
const clock = { now: () => new Date(now) };
let sut: Routers;

async function startSut(env: Record<string, string> = {}) {
  now = start;
  sut = await startRouters({
    replicas: 2,
    routerOptions: { clock },
    env: { AGENT_DISCONNECT_GRACE_MS: '10000', AGENT_SESSION_TIMEOUT_MS: '20000', ...env },
  });
}

afterEach(async () => {
  await sut.stop();
});

const agent = (userId: string) => anAgentRequester({ userId });

async function connect(agentId: string, gatewayId = 'gw1', extra: Record<string, unknown> = {}) {
  return sut.execute(
    aCommand('agent_connected', agent(agentId), {
      gateway_id: gatewayId,
      status: 'accepting_chats',
      ...extra,
    }),
  );
}

async function disconnect(agentId: string, gatewayId = 'gw1', reason = 'disconnected') {
  await sut.execute(
    aCommand('agent_disconnected', agent(agentId), { gateway_id: gatewayId, reason }),
  );
}

async function statuses(): Promise<Record<string, string>> {
  const list = (await sut.execute(aCommand('list_routing_statuses', agent('a@x.io')))) as {
    agent_id: string;
    status: string;
  }[];
  return Object.fromEntries(list.map((entry) => [entry.agent_id, entry.status]));
}

/** A chat routed to `agentId` (the only one accepting when it starts). */
async function chatOf(agentId: string, chatId: string) {
  await sut.publish(anIncomingChatBatch({ chatId, startedAt: now }));
  await eventually(() =>
    expect(sut.chatStore.calls.filter((call) => call.chatId === chatId)).toEqual([
      expect.objectContaining({ agentId }),
    ]),
  );
  await sut.drained();
}

const sent = (action: string) =>
  sut.chatStore.commands.filter((command) => command.action === action);

async function housekeepingRounds() {
  await new Promise((resolve) => setTimeout(resolve, 800));
}

describe('agents gone', () => {
  it('hands a disconnected agent’s chat to another agent once the grace period passed', async () => {
    await startSut();
    expect(await connect('a@x.io')).toEqual({ status: 'accepting_chats' });
    await chatOf('a@x.io', 'C1');
    await connect('b@x.io');
    await disconnect('a@x.io');
    expect((await statuses())['a@x.io']).toBe('offline');

    now = start + 10 * second - 1;
    await housekeepingRounds();
    expect(sut.chatStore.commands).toEqual([]);
    now = start + 10 * second;
    await eventually(() => expect(sent('unassign_agent')).toHaveLength(1));
    expect(sent('unassign_agent')[0]?.payload).toMatchObject({
      chat_id: 'C1',
      agent_id: 'a@x.io',
      reason: 'disconnected',
      assign_to: { id: 'b@x.io' },
    });
    await housekeepingRounds();
    expect(sent('unassign_agent')).toHaveLength(1);
  });

  it('lets an agent who reconnects within the grace period keep their chats and their status', async () => {
    await startSut();
    await connect('a@x.io');
    await chatOf('a@x.io', 'C7');
    await sut.execute(
      aCommand('set_routing_status', agent('a@x.io'), { status: 'not_accepting_chats' }),
    );
    await connect('b@x.io');
    await disconnect('a@x.io');
    now = start + 5 * second;
    expect(await connect('a@x.io', 'gw2', { reconnect: true })).toEqual({
      status: 'not_accepting_chats',
    });
    now = start + 60 * second;
    await housekeepingRounds();
    expect(sut.chatStore.commands).toEqual([]);
  });

  it('keeps an agent connected through another gateway', async () => {
    await startSut();
    await connect('a@x.io', 'gw1');
    await chatOf('a@x.io', 'C2');
    await connect('a@x.io', 'gw2');
    await disconnect('a@x.io', 'gw1');
    expect((await statuses())['a@x.io']).toBe('accepting_chats');
    now = start + 60 * second;
    await housekeepingRounds();
    expect(sut.chatStore.commands).toEqual([]);
  });

  it('puts a signed-out agent’s chat back in the queue at once when nobody can take it', async () => {
    await startSut();
    await connect('a@x.io');
    await chatOf('a@x.io', 'C3');
    await disconnect('a@x.io', 'gw1', 'signed_out');
    await eventually(() => expect(sent('unassign_agent')).toHaveLength(1));
    expect(sent('unassign_agent')[0]?.payload).toMatchObject({
      chat_id: 'C3',
      agent_id: 'a@x.io',
      reason: 'signed_out',
      queue: { position: 1, wait_time: 60, queued_at: new Date(now).toISOString() },
    });
    expect(sent('unassign_agent')[0]?.payload).not.toHaveProperty('assign_to');
  });

  it('archives the chat when the queue is off', async () => {
    await startSut();
    await sut.publishConfigurationChange('org1', 'license_properties_updated', {
      properties: { chats: { 'queue.enabled': false } },
    });
    await sut.configurationApplied();
    await connect('a@x.io');
    await chatOf('a@x.io', 'C4');
    await disconnect('a@x.io', 'gw1', 'signed_out');
    await eventually(() => expect(sent('close_thread_for_routing')).toHaveLength(1));
    expect(sent('close_thread_for_routing')[0]?.payload).toMatchObject({
      chat_id: 'C4',
      reason: 'signed_out',
      agent_id: 'a@x.io',
    });
  });

  it('ends the sessions of a gateway that stopped its heartbeats, then hands the chats on', async () => {
    await startSut();
    await connect('a@x.io', 'gw-crashed');
    await chatOf('a@x.io', 'C5');
    await connect('b@x.io', 'gw-alive');
    const heartbeat = (gatewayId: string, agentId: string) =>
      sut.bus.connection.publish(
        sut.subjects.agentPresence,
        JSON.stringify({
          gateway_id: gatewayId,
          sessions: [{ organization_id: 'org1', agent_id: agentId }],
        }),
      );
    // gw-alive keeps beating; gw-crashed never does again.
    for (const at of [10, 20, 30, 40]) {
      now = start + at * second;
      heartbeat('gw-alive', 'b@x.io');
      await housekeepingRounds();
    }
    await eventually(async () => expect((await statuses())['a@x.io']).toBe('offline'));
    expect((await statuses())['b@x.io']).toBe('accepting_chats');
    now += 10 * second;
    await eventually(() => expect(sent('unassign_agent')).toHaveLength(1));
    expect(sent('unassign_agent')[0]?.payload).toMatchObject({
      agent_id: 'a@x.io',
      reason: 'disconnected',
      assign_to: { id: 'b@x.io' },
    });
  });

  it('hands on the chats of a suspended agent with reason deleted', async () => {
    await startSut();
    await connect('a@x.io');
    await chatOf('a@x.io', 'C6');
    await connect('b@x.io');
    await sut.publishConfigurationChange('org1', 'agent_suspended', { id: 'a@x.io' });
    await eventually(() => expect(sent('unassign_agent')).toHaveLength(1));
    expect(sent('unassign_agent')[0]?.payload).toMatchObject({
      agent_id: 'a@x.io',
      reason: 'deleted',
      assign_to: { id: 'b@x.io' },
    });
  });
});
