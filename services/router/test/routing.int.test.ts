import { ProtocolError } from '@threadline/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  aChatDeactivatedBatch,
  aCommand,
  anAgentRequester,
  anIncomingChatBatch,
  aTransferredToGroupsBatch,
  aUserAddedBatch,
  aUserRemovedBatch,
} from './factories.ts';
import { eventually, type Routers, startRouters } from './harness.ts';

let sut: Routers;

beforeEach(async () => {
  sut = await startRouters({ replicas: 2 });
});

afterEach(async () => {
  await sut.stop();
});

async function setStatus(
  agentId: string,
  status: 'accepting_chats' | 'not_accepting_chats',
  profile: { maxChatsCount?: number; groupIds?: number[] } = {},
) {
  await sut.execute(
    aCommand('set_routing_status', anAgentRequester({ userId: agentId, ...profile }), { status }),
  );
}

async function routedAssignments() {
  return sut.db
    .selectFrom('assignments')
    .select(['chat_id', 'thread_id', 'agent_id', 'confirmed'])
    .where('routed', '=', true)
    .orderBy('chat_id')
    .execute();
}

async function waitingChatIds() {
  const rows = await sut.db
    .selectFrom('waiting_chats')
    .select('chat_id')
    .orderBy('chat_id')
    .execute();
  return rows.map((row) => row.chat_id);
}

/** The agent each chat went to, from the successful assign_agent calls chat-store received. */
function assignedAgents(): Map<string, Set<string>> {
  const byChat = new Map<string, Set<string>>();
  for (const call of sut.chatStore.calls) {
    const agents = byChat.get(call.chatId) ?? new Set<string>();
    agents.add(call.agentId);
    byChat.set(call.chatId, agents);
  }
  return byChat;
}

describe('router assignment across two replicas', () => {
  it('assigns a thread once even when its batch is duplicated and chat-store fails at first', async () => {
    await setStatus('a@x.io', 'accepting_chats');
    await setStatus('b@x.io', 'accepting_chats');
    // More failures than copies: some copies must come back by redelivery (nak with delay).
    let failures = 4;
    sut.chatStore.answerWith(() =>
      failures-- > 0
        ? { error: new ProtocolError('service_unavailable', 'down') }
        : { payload: {} },
    );
    const batch = anIncomingChatBatch({ chatId: 'C1' });
    // The same batch three times (as redelivery or a re-publish would give it), taken by both replicas.
    await Promise.all([
      sut.publish(batch, 'm1'),
      sut.publish(batch, 'm2'),
      sut.publish(batch, 'm3'),
    ]);

    await eventually(async () => {
      expect(await routedAssignments()).toMatchObject([{ chat_id: 'C1', confirmed: true }]);
    });
    const calls = sut.chatStore.calls.filter((call) => call.chatId === 'C1');
    expect(calls.length).toBeGreaterThanOrEqual(5);
    expect(new Set(calls.map((call) => call.agentId)).size).toBe(1);
    // One decision, one command id on every retry: `assign:<chat>:<thread>:<decided at, ms>`.
    const ids = new Set(calls.map((call) => call.commandId));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^assign:C1:C1-T1:\d+$/);
    expect(
      calls.every((call) => call.userType === 'system' && call.organizationId === 'org1'),
    ).toBe(true);
    expect(calls[0]?.agent).toEqual({
      id: calls[0]?.agentId,
      name: calls[0]?.agentId,
      email: calls[0]?.agentId,
      avatar: '',
    });
  });

  it("never exceeds an agent's limit under a burst of chats, and queues the rest", async () => {
    await setStatus('a@x.io', 'accepting_chats', { maxChatsCount: 2 });
    await setStatus('b@x.io', 'accepting_chats', { maxChatsCount: 3 });
    const chatIds = Array.from({ length: 10 }, (_, index) => `B${String(index).padStart(2, '0')}`);
    await Promise.all(chatIds.map((chatId) => sut.publish(anIncomingChatBatch({ chatId }))));

    await eventually(async () => {
      expect(await routedAssignments()).toHaveLength(5);
      expect(await waitingChatIds()).toHaveLength(5);
    });
    const perAgent = new Map<string, Set<string>>();
    for (const [chatId, agents] of assignedAgents()) {
      expect(agents.size).toBe(1);
      const agentId = [...agents][0]!;
      perAgent.set(agentId, (perAgent.get(agentId) ?? new Set()).add(chatId));
    }
    expect(perAgent.get('a@x.io')?.size).toBe(2);
    expect(perAgent.get('b@x.io')?.size).toBe(3);
  });

  it('gives a chat to the least loaded agent, then the one idle longest', async () => {
    await setStatus('a@x.io', 'accepting_chats');
    for (const chatId of ['L1', 'L2']) {
      await sut.publish(anIncomingChatBatch({ chatId }));
      await eventually(() => expect(assignedAgents().get(chatId)).toEqual(new Set(['a@x.io'])));
    }
    await setStatus('b@x.io', 'accepting_chats');
    for (const chatId of ['L3', 'L4', 'L5']) {
      await sut.publish(anIncomingChatBatch({ chatId }));
      await eventually(() => expect(assignedAgents().has(chatId)).toBe(true));
    }
    // L3, L4: b has fewer chats. L5: both have two, a waited longer since L2.
    expect(['L3', 'L4', 'L5'].map((chatId) => [...assignedAgents().get(chatId)!][0])).toEqual([
      'b@x.io',
      'b@x.io',
      'a@x.io',
    ]);
  });

  it('routes a chat of a group only to an agent of that group', async () => {
    await setStatus('general@x.io', 'accepting_chats', { groupIds: [0] });
    await setStatus('sales@x.io', 'accepting_chats', { groupIds: [0, 5], maxChatsCount: 1 });
    await sut.publish(anIncomingChatBatch({ chatId: 'G1', groupIds: [5] }));
    await eventually(() => expect(assignedAgents().get('G1')).toEqual(new Set(['sales@x.io'])));
    // Sales is full now; the general agent is free but not in group 5.
    await sut.publish(anIncomingChatBatch({ chatId: 'G2', groupIds: [5] }));
    await eventually(async () => expect(await waitingChatIds()).toEqual(['G2']));
    expect(assignedAgents().has('G2')).toBe(false);
  });

  it('routes a chat transferred to a group again, to an agent of that group', async () => {
    await setStatus('general@x.io', 'accepting_chats', { groupIds: [0] });
    await sut.publish(anIncomingChatBatch({ chatId: 'X1' }));
    await eventually(() => expect(assignedAgents().get('X1')).toEqual(new Set(['general@x.io'])));
    await setStatus('sales@x.io', 'accepting_chats', { groupIds: [0, 5] });

    await sut.publish(
      aTransferredToGroupsBatch({ chatId: 'X1', removedAgentId: 'general@x.io', groupIds: [5] }),
    );
    await eventually(() =>
      expect(assignedAgents().get('X1')).toEqual(new Set(['general@x.io', 'sales@x.io'])),
    );
    // A new decision for the same thread: chat-store must not absorb it as a repeat.
    const ids = sut.chatStore.calls.filter((call) => call.chatId === 'X1').map((c) => c.commandId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(await routedAssignments()).toMatchObject([
      { chat_id: 'X1', agent_id: 'sales@x.io', confirmed: true },
    ]);
  });

  it('routes a waiting chat transferred to another group in that group', async () => {
    await setStatus('sales@x.io', 'accepting_chats', { groupIds: [0, 5] });
    await sut.publish(anIncomingChatBatch({ chatId: 'W1', groupIds: [6] }));
    await eventually(async () => expect(await waitingChatIds()).toEqual(['W1']));

    await sut.publish(
      aTransferredToGroupsBatch({ chatId: 'W1', removedAgentId: 'nobody@x.io', groupIds: [5] }),
    );
    await eventually(() => expect(assignedAgents().get('W1')).toEqual(new Set(['sales@x.io'])));
    expect(await waitingChatIds()).toEqual([]);
  });

  describe("when replicas read a chat's joins and leaves late (by the chat's version)", () => {
    async function bobsAssignments() {
      return sut.db
        .selectFrom('assignments')
        .select(['chat_id', 'routed'])
        .where('agent_id', '=', 'bob@x.io')
        .execute();
    }

    async function departedAgents() {
      const rows = await sut.db
        .selectFrom('chat_departures')
        .select('agent_id')
        .orderBy('agent_id')
        .execute();
      return rows.map((row) => row.agent_id);
    }

    /** Ann has X1; Bob is added by hand, removed, then Ann transfers X1 to Bob's group 5. */
    async function bobAddedRemovedThenTransfer() {
      await setStatus('ann@x.io', 'accepting_chats', { groupIds: [0] });
      await sut.publish(anIncomingChatBatch({ chatId: 'X1' }));
      await eventually(() => expect(assignedAgents().get('X1')).toEqual(new Set(['ann@x.io'])));
      await setStatus('bob@x.io', 'accepting_chats', { groupIds: [0, 5] });
      return {
        added: aUserAddedBatch({ chatId: 'X1', agentId: 'bob@x.io' }),
        removed: aUserRemovedBatch({ chatId: 'X1', userId: 'bob@x.io' }),
        transfer: aTransferredToGroupsBatch({
          chatId: 'X1',
          removedAgentId: 'ann@x.io',
          groupIds: [5],
        }),
      };
    }

    async function publishInTurn(...batches: ReturnType<typeof aUserAddedBatch>[]) {
      for (const batch of batches) {
        await sut.publish(batch);
        await sut.drained();
      }
    }

    type Batches = Awaited<ReturnType<typeof bobAddedRemovedThenTransfer>>;
    it.each([
      {
        late: 'a join read after the leave that followed it',
        order: ({ added, removed, transfer }: Batches) => [removed, added, transfer],
      },
      {
        late: 'a leave from before the transfer read after it',
        order: ({ added, removed, transfer }: Batches) => [added, transfer, removed],
      },
    ])('routes the transfer to Bob, once, despite $late', async ({ order }) => {
      await publishInTurn(...order(await bobAddedRemovedThenTransfer()));
      await eventually(() =>
        expect(assignedAgents().get('X1')).toEqual(new Set(['ann@x.io', 'bob@x.io'])),
      );
      expect(await bobsAssignments()).toEqual([{ chat_id: 'X1', routed: true }]);

      // Departures matter while the thread is active; its close forgets them.
      expect(await departedAgents()).toEqual(['ann@x.io', 'bob@x.io']);
      await publishInTurn(aChatDeactivatedBatch({ chatId: 'X1' }));
      expect(await departedAgents()).toEqual([]);
    });
  });

  it('assigns a waiting chat when an agent starts accepting chats', async () => {
    await setStatus('a@x.io', 'not_accepting_chats');
    await sut.publish(anIncomingChatBatch({ chatId: 'W1' }));
    await eventually(async () => expect(await waitingChatIds()).toEqual(['W1']));
    expect(sut.chatStore.calls).toHaveLength(0);

    await setStatus('a@x.io', 'accepting_chats');
    await eventually(async () => {
      expect(sut.chatStore.calls.map((call) => [call.chatId, call.agentId])).toEqual([
        ['W1', 'a@x.io'],
      ]);
      expect(await waitingChatIds()).toEqual([]);
    });
  });

  it('retries an assignment from the queue that chat-store missed', async () => {
    let failures = 1;
    sut.chatStore.answerWith(() =>
      failures-- > 0 ? { error: new ProtocolError('request_timeout', 'slow') } : { payload: {} },
    );
    await sut.publish(anIncomingChatBatch({ chatId: 'R1' }));
    await eventually(async () => expect(await waitingChatIds()).toEqual(['R1']));
    await setStatus('a@x.io', 'accepting_chats');
    // Nothing redelivers a queue assignment: housekeeping must deliver it again.
    await eventually(async () => {
      expect(await routedAssignments()).toMatchObject([
        { chat_id: 'R1', agent_id: 'a@x.io', confirmed: true },
      ]);
    });
    expect(sut.chatStore.calls.map((call) => call.chatId)).toEqual(['R1', 'R1']);
  });

  it('gives the slot back when the thread closed before chat-store could assign it', async () => {
    await setStatus('a@x.io', 'accepting_chats', { maxChatsCount: 1 });
    sut.chatStore.answerWith((call) =>
      call.chatId === 'X1'
        ? { error: new ProtocolError('chat_inactive', 'closed') }
        : { payload: {} },
    );
    await sut.publish(anIncomingChatBatch({ chatId: 'X1' }));
    await eventually(() => expect(sut.chatStore.calls.map((call) => call.chatId)).toContain('X1'));
    await sut.publish(anIncomingChatBatch({ chatId: 'X2' }));
    await eventually(async () => {
      expect(await routedAssignments()).toMatchObject([
        { chat_id: 'X2', agent_id: 'a@x.io', confirmed: true },
      ]);
    });
  });

  it('frees the slot when a thread closes and serves the waiting chat with it', async () => {
    await setStatus('a@x.io', 'accepting_chats', { maxChatsCount: 1 });
    await sut.publish(anIncomingChatBatch({ chatId: 'F1' }));
    await eventually(() => expect(assignedAgents().has('F1')).toBe(true));
    await sut.publish(anIncomingChatBatch({ chatId: 'F2' }));
    await eventually(async () => expect(await waitingChatIds()).toEqual(['F2']));

    await sut.publish(aChatDeactivatedBatch({ chatId: 'F1' }));
    await eventually(async () => {
      expect(await routedAssignments()).toMatchObject([{ chat_id: 'F2', agent_id: 'a@x.io' }]);
    });
    // A late copy of F1's incoming_chat must not bring the closed thread back.
    await sut.publish(anIncomingChatBatch({ chatId: 'F1' }), 'late-F1');
    await sut.publish(anIncomingChatBatch({ chatId: 'F3' }));
    await sut.drained();
    // Without the closed-thread memory F1 would be waiting again next to F3 (a is full with F2).
    expect(await waitingChatIds()).toEqual(['F3']);
    expect(sut.chatStore.calls.filter((call) => call.chatId === 'F1')).toHaveLength(1);
  });

  it('counts chats an agent joined by hand towards their limit, until they leave', async () => {
    await setStatus('a@x.io', 'accepting_chats', { maxChatsCount: 2 });
    await sut.publish(aUserAddedBatch({ chatId: 'M1', agentId: 'a@x.io' }));
    await sut.publish(anIncomingChatBatch({ chatId: 'M2' }));
    await eventually(() => expect(assignedAgents().get('M2')).toEqual(new Set(['a@x.io'])));
    await sut.publish(anIncomingChatBatch({ chatId: 'M3' }));
    await eventually(async () => expect(await waitingChatIds()).toEqual(['M3']));

    await sut.publish(aUserRemovedBatch({ chatId: 'M1', userId: 'a@x.io' }));
    await eventually(() => expect(assignedAgents().get('M3')).toEqual(new Set(['a@x.io'])));
    expect(assignedAgents().has('M1')).toBe(false);
  });

  it('stops waiting when an agent joins the chat by hand', async () => {
    await sut.publish(anIncomingChatBatch({ chatId: 'J1' }));
    await eventually(async () => expect(await waitingChatIds()).toEqual(['J1']));
    await sut.publish(aUserAddedBatch({ chatId: 'J1', agentId: 'a@x.io' }));
    await eventually(async () => expect(await waitingChatIds()).toEqual([]));
    await setStatus('a@x.io', 'accepting_chats');
    // Long enough for the queue serving after the status change and a housekeeping round.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sut.chatStore.calls).toHaveLength(0);
  });
});
