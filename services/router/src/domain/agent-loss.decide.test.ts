import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anAgentLoad } from './agent-load.fixture.ts';
import { decideHandovers, type LostAgentThread } from './agent-loss.decide.ts';
import { defaultRoutingSettings } from './routing-settings.ts';

const thread = (chatId: string, overrides: Partial<LostAgentThread> = {}): LostAgentThread => ({
  chatId,
  threadId: `${chatId}-T`,
  groupIds: [0],
  otherAgentIds: [],
  continuous: false,
  ...overrides,
});
const settings = { ...defaultRoutingSettings, queue: { enabled: true, limit: 1 } };

describe('decideHandovers', () => {
  it('leaves chats others are in, hands the rest to free agents by load, then queues, then archives', () => {
    const decisions = decideHandovers(
      [
        thread('shared', { otherAgentIds: ['b@x'] }),
        thread('c1'),
        thread('c2'),
        thread('c3'),
        thread('c4'),
        thread('c5', { continuous: true }),
      ],
      {
        agents: [
          anAgentLoad({ agentId: 'b@x', load: 1, maxChatsCount: 2 }),
          anAgentLoad({ agentId: 'c@x', load: 0, maxChatsCount: 1 }),
        ],
        waitingNow: 0,
        settingsOf: () => settings,
      },
    );
    expect(decisions).toEqual([
      { type: 'leave' },
      { type: 'assign', agentId: 'c@x' },
      { type: 'assign', agentId: 'b@x' },
      { type: 'requeue' }, // one place left in a queue of limit 1
      { type: 'archive' },
      { type: 'requeue' }, // Messaging Mode waits however full the queue is
    ]);
  });

  it('sends chats of manually routed groups back to the queue, never to an agent', () => {
    const decisions = decideHandovers([thread('c1')], {
      agents: [anAgentLoad({ agentId: 'b@x' })],
      waitingNow: 0,
      settingsOf: () => ({ ...settings, manualRouting: true }),
    });
    expect(decisions).toEqual([{ type: 'requeue' }]);
  });
});

describe('decideHandovers, for any agents and threads', () => {
  const agentArbitrary = (index: number) =>
    fc.record({
      agentId: fc.constant(`agent-${index}`),
      status: fc.constantFrom<'accepting_chats' | 'not_accepting_chats'>(
        'accepting_chats',
        'not_accepting_chats',
      ),
      groupIds: fc.subarray([1, 2]).map((groups) => [0, ...groups]),
      maxChatsCount: fc.integer({ min: 0, max: 3 }),
      load: fc.integer({ min: 0, max: 3 }),
      lastAssignedAt: fc.constant(undefined),
    });
  const threadArbitrary = (index: number) =>
    fc.record({
      chatId: fc.constant(`chat-${index}`),
      threadId: fc.constant(`thread-${index}`),
      groupIds: fc.constantFrom<number[]>([0], [1], [2], [1, 2]),
      otherAgentIds: fc.constantFrom<string[]>([], ['someone-else']),
      continuous: fc.boolean(),
    });
  const listOf = <T>(make: (index: number) => fc.Arbitrary<T>, max: number) =>
    fc
      .integer({ min: 0, max })
      .chain((count) => fc.tuple(...Array.from({ length: count }, (_, index) => make(index))));

  it('never puts an agent above their limit, assigns only who could take the chat, keeps the queue limit', () => {
    fc.assert(
      fc.property(
        listOf(agentArbitrary, 5),
        listOf(threadArbitrary, 8),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 4 }),
        (agents, threads, waitingNow, limit) => {
          const queue = { enabled: true, limit };
          const decisions = decideHandovers(threads, {
            agents,
            waitingNow,
            settingsOf: () => ({ manualRouting: false, queue }),
          });
          expect(decisions).toHaveLength(threads.length);
          const given = new Map<string, number>();
          let requeued = 0;
          decisions.forEach((decision, index) => {
            const thread = threads[index]!;
            if (thread.otherAgentIds.length > 0) expect(decision).toEqual({ type: 'leave' });
            if (decision.type === 'assign') {
              const agent = agents.find((one) => one.agentId === decision.agentId)!;
              expect(agent.status).toBe('accepting_chats');
              expect(
                thread.groupIds.includes(0) ||
                  thread.groupIds.some((group) => agent.groupIds.includes(group)),
              ).toBe(true);
              given.set(agent.agentId, (given.get(agent.agentId) ?? 0) + 1);
            }
            if (decision.type === 'requeue' && !thread.continuous) requeued += 1;
            if (decision.type === 'archive') expect(thread.continuous).toBe(false);
          });
          for (const agent of agents) {
            const total = agent.load + (given.get(agent.agentId) ?? 0);
            if (given.has(agent.agentId)) expect(total).toBeLessThanOrEqual(agent.maxChatsCount);
          }
          expect(waitingNow + requeued <= Math.max(limit, waitingNow)).toBe(true);
        },
      ),
    );
  });
});
