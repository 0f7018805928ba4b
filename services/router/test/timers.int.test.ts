import { ProtocolError } from '@threadline/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  aCommand,
  anAgentRequester,
  anIncomingChatBatch,
  anIncomingEventBatch,
  aUserAddedBatch,
} from './factories.ts';
import { eventually, type Routers, startRouters } from './harness.ts';

/**
 * The router's timers (spec §7.2) on two replicas sharing one clock the test moves: each fires
 * once, as one recorded command chat-store receives, and survives a restart of every replica.
 */
const minute = 60_000;
const start = Date.parse('2026-12-05T10:00:00.000Z');
let now = start;
const clock = { now: () => new Date(now) };
let sut: Routers;

beforeEach(async () => {
  now = start;
  sut = await startRouters({ replicas: 2, routerOptions: { clock } });
});

afterEach(async () => {
  await sut.stop();
});

async function accept(agentId: string) {
  await sut.execute(
    aCommand('set_routing_status', anAgentRequester({ userId: agentId }), {
      status: 'accepting_chats',
    }),
  );
}

async function setSettings(settings: Record<string, unknown>) {
  await sut.publishConfigurationChange('org1', 'license_properties_updated', {
    properties: { chats: settings },
  });
  await sut.configurationApplied();
}

/** Lets housekeeping run a few rounds (every 200 ms here) at the current time. */
async function housekeepingRounds() {
  await new Promise((resolve) => setTimeout(resolve, 800));
}

const closes = () =>
  sut.chatStore.commands.filter((command) => command.action === 'close_thread_for_routing');

describe('router timers', () => {
  it('closes a thread nobody wrote in for 30 minutes, once across replicas, as of its last message', async () => {
    await accept('a@x.io');
    await sut.publish(anIncomingChatBatch({ chatId: 'C1', startedAt: start }));
    now = start + 5 * minute;
    const agent = { userId: 'a@x.io', userType: 'agent' as const };
    await sut.publish(anIncomingEventBatch({ chatId: 'C1', author: agent, at: now }));
    await sut.drained();

    now = start + 35 * minute - 1;
    await housekeepingRounds();
    expect(closes()).toEqual([]);

    now = start + 35 * minute;
    await eventually(() => expect(closes()).toHaveLength(1));
    await housekeepingRounds();
    expect(closes()).toHaveLength(1);
    expect(closes()[0]).toMatchObject({
      organizationId: 'org1',
      payload: {
        chat_id: 'C1',
        thread_id: 'C1-T1',
        reason: 'inactive',
        inactive_minutes: 30,
        quiet_since: new Date(start + 5 * minute).toISOString(),
      },
    });
  });

  it("times a thread from its agent's joining when that news overtakes the thread's start", async () => {
    // The replica holding the chat's incoming_chat is still busy routing it when another replica
    // reads the agent's joining; by then the router's clock is past the idle limit.
    now = start + 30 * minute;
    await sut.publish(aUserAddedBatch({ chatId: 'C6', agentId: 'a@x.io', at: start }));
    await eventually(() => expect(closes()).toHaveLength(1));
    expect(closes()[0]?.payload).toMatchObject({
      chat_id: 'C6',
      reason: 'inactive',
      quiet_since: new Date(start).toISOString(),
    });
  });

  it('hands an unanswered chat to another agent after transfer_chat_after_min', async () => {
    await setSettings({ transfer_chat_after_min: 2 });
    await accept('a@x.io');
    await sut.publish(anIncomingChatBatch({ chatId: 'C2', startedAt: start }));
    await eventually(() =>
      expect(sut.chatStore.calls.map((call) => call.agentId)).toEqual(['a@x.io']),
    );
    // What chat-store appends for the assignment: the agent joined.
    await sut.publish(aUserAddedBatch({ chatId: 'C2', agentId: 'a@x.io' }));
    await sut.drained();
    await accept('b@x.io');

    now = start + 2 * minute - 1;
    await housekeepingRounds();
    expect(sut.chatStore.commands).toEqual([]);
    now = start + 2 * minute;
    const handOvers = () =>
      sut.chatStore.commands.filter((command) => command.action === 'unassign_agent');
    await eventually(() => expect(handOvers()).toHaveLength(1));
    expect(handOvers()[0]?.payload).toMatchObject({
      chat_id: 'C2',
      agent_id: 'a@x.io',
      reason: 'inactive',
      inactive_minutes: 2,
      assign_to: { id: 'b@x.io' },
    });
    // b carries the chat's load from the decision on, a until chat-store says they left.
    const rows = await sut.db
      .selectFrom('assignments')
      .select(['agent_id', 'routed', 'confirmed'])
      .where('chat_id', '=', 'C2')
      .orderBy('agent_id')
      .execute();
    expect(rows).toEqual([
      { agent_id: 'a@x.io', routed: true, confirmed: true },
      { agent_id: 'b@x.io', routed: false, confirmed: false },
    ]);
    await housekeepingRounds();
    expect(handOvers()).toHaveLength(1);
  });

  it('leaves an answered chat with its agent', async () => {
    await setSettings({ transfer_chat_after_min: 2 });
    await accept('a@x.io');
    await sut.publish(anIncomingChatBatch({ chatId: 'C3', startedAt: start }));
    await eventually(() => expect(sut.chatStore.calls).toHaveLength(1));
    await sut.publish(aUserAddedBatch({ chatId: 'C3', agentId: 'a@x.io' }));
    await accept('b@x.io');
    now = start + minute;
    const agent = { userId: 'a@x.io', userType: 'agent' as const };
    await sut.publish(anIncomingEventBatch({ chatId: 'C3', author: agent, at: now }));
    await sut.drained();
    now = start + 10 * minute;
    await housekeepingRounds();
    expect(sut.chatStore.commands).toEqual([]);
  });

  it('closes for a customer silent for customer_timeout_after_min while the agent keeps writing', async () => {
    await setSettings({ customer_timeout_after_min: 15 });
    await accept('a@x.io');
    await sut.publish(anIncomingChatBatch({ chatId: 'C4', startedAt: start }));
    const agent = { userId: 'a@x.io', userType: 'agent' as const };
    for (const at of [5, 10, 14].map((minutes) => start + minutes * minute)) {
      await sut.publish(anIncomingEventBatch({ chatId: 'C4', author: agent, at }));
    }
    await sut.drained();
    now = start + 15 * minute;
    await eventually(() => expect(closes()).toHaveLength(1));
    expect(closes()[0]?.payload).toMatchObject({
      reason: 'customer_inactive',
      inactive_minutes: 15,
      quiet_since: new Date(start).toISOString(),
    });
  });

  it('fires a timer that fell due while every replica was down, once', async () => {
    await sut.publish(anIncomingChatBatch({ chatId: 'C5', startedAt: start }));
    await sut.drained();
    const stopped = sut.routers.splice(0);
    await Promise.all(stopped.map((router) => router.stop()));

    now = start + 40 * minute;
    await Promise.all([sut.startReplica(), sut.startReplica()]);
    await eventually(() => expect(closes()).toHaveLength(1));
    expect(closes()[0]?.payload).toMatchObject({ chat_id: 'C5', reason: 'inactive' });
    await housekeepingRounds();
    expect(closes()).toHaveLength(1);
  });

  it('sends a command chat-store did not answer again, with the same id, until it does', async () => {
    let failures = 2;
    sut.chatStore.answerCommandsWith(() =>
      failures-- > 0
        ? { error: new ProtocolError('service_unavailable', 'down') }
        : { payload: {} },
    );
    await sut.publish(anIncomingChatBatch({ chatId: 'C6', startedAt: start }));
    await sut.drained();
    now = start + 30 * minute;
    // Retries wait ASSIGNMENT_RETRY_AFTER_MS (400 ms here) of the router's clock.
    await eventually(() => {
      now += 500;
      expect(closes().length).toBeGreaterThanOrEqual(3);
    });
    expect(new Set(closes().map((command) => command.commandId)).size).toBe(1);
    await eventually(async () => {
      const left = await sut.db.selectFrom('system_commands').selectAll().execute();
      expect(left).toEqual([]);
    });
  });
});
