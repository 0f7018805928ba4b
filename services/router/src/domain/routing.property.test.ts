import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AgentLoad,
  canBeRoutedTo,
  decideChatRouting,
  decideRouting,
  type GroupPriority,
  planQueueDrain,
  priorityFor,
  type RoutingStatus,
  type WaitingChat,
} from './routing.decide.ts';

/**
 * Property tests of the routing decisions, driven the way the router's application drives them:
 * a pure model of the router's state (agents, active threads, the queue) takes random
 * interleavings of status changes, chats arriving and closing, transfers to groups, limit
 * changes and manual routing switched on and off per group, routing each chat on arrival and
 * serving the queue whenever a slot may have freed.
 */

const groups = [0, 1, 2] as const;
const priorities: GroupPriority[] = ['first', 'normal', 'last', 'supervisor'];
const statuses: RoutingStatus[] = ['accepting_chats', 'not_accepting_chats', 'offline'];

const anAgentArbitrary = (index: number) =>
  fc.record({
    agentId: fc.constant(`agent-${index}`),
    status: fc.constantFrom(...statuses),
    memberOf: fc.subarray([1, 2]),
    priorities: fc.record({
      0: fc.constantFrom(...priorities),
      1: fc.constantFrom(...priorities),
      2: fc.constantFrom(...priorities),
    }),
    maxChatsCount: fc.integer({ min: 0, max: 3 }),
  });

const agentsArbitrary = fc
  .integer({ min: 1, max: 6 })
  .chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => anAgentArbitrary(i))))
  .map((agents) =>
    agents.map(
      (agent): AgentLoad => ({
        agentId: agent.agentId,
        status: agent.status,
        groupIds: [0, ...agent.memberOf],
        groupPriorities: Object.fromEntries(
          [0, ...agent.memberOf].map((group) => [group, agent.priorities[group as 0 | 1 | 2]]),
        ),
        maxChatsCount: agent.maxChatsCount,
        load: 0,
        lastAssignedAt: undefined,
      }),
    ),
  );

type Step =
  | { type: 'status'; agent: number; status: RoutingStatus }
  | { type: 'arrive'; group: number }
  | { type: 'close'; pick: number }
  | { type: 'transfer'; pick: number; group: number }
  | { type: 'limit'; agent: number; maxChatsCount: number }
  | { type: 'manual_routing'; group: number; on: boolean };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    type: fc.constant('status' as const),
    agent: fc.nat(5),
    status: fc.constantFrom(...statuses),
  }),
  fc.record({ type: fc.constant('arrive' as const), group: fc.constantFrom(...groups) }),
  fc.record({ type: fc.constant('arrive' as const), group: fc.constantFrom(...groups) }),
  fc.record({ type: fc.constant('close' as const), pick: fc.nat() }),
  fc.record({
    type: fc.constant('transfer' as const),
    pick: fc.nat(),
    group: fc.constantFrom(...groups),
  }),
  fc.record({
    type: fc.constant('limit' as const),
    agent: fc.nat(5),
    maxChatsCount: fc.integer({ min: 0, max: 3 }),
  }),
  fc.record({
    type: fc.constant('manual_routing' as const),
    group: fc.constantFrom(...groups),
    on: fc.boolean(),
  }),
);

interface ModelThread {
  chatId: string;
  threadId: string;
  groupIds: number[];
  agentId: string | undefined;
  queuedAt: number | undefined;
}

/** The router's state as the application keeps it, with the invariants checked as it changes. */
class RouterModel {
  private readonly threads = new Map<string, ModelThread>();
  private readonly manualGroups = new Set<number>();
  private now = 0;
  private chatCount = 0;

  private readonly agents: AgentLoad[];

  constructor(agents: readonly AgentLoad[]) {
    // Copies: fast-check reuses generated values while shrinking.
    this.agents = agents.map((agent) => ({ ...agent }));
  }

  apply(step: Step): void {
    this.now += 1;
    switch (step.type) {
      case 'status': {
        const agent = this.agents[step.agent % this.agents.length]!;
        agent.status = step.status;
        if (step.status === 'accepting_chats') this.serveQueue();
        return;
      }
      case 'arrive': {
        this.chatCount += 1;
        const chatId = `chat-${this.chatCount}`;
        const thread: ModelThread = {
          chatId,
          threadId: `${chatId}-T1`,
          groupIds: [step.group],
          agentId: undefined,
          queuedAt: undefined,
        };
        this.threads.set(chatId, thread);
        this.route(thread);
        return;
      }
      case 'close': {
        const thread = this.pick(step.pick);
        if (!thread) return;
        this.threads.delete(thread.chatId);
        if (thread.agentId) this.serveQueue();
        return;
      }
      case 'transfer': {
        // transfer_chat to a group: the agent leaves, the thread is routed again in the group.
        const thread = this.pick(step.pick);
        if (!thread) return;
        const freed = thread.agentId !== undefined;
        thread.agentId = undefined;
        thread.queuedAt = undefined;
        thread.groupIds = [step.group];
        if (freed) this.serveQueue();
        this.route(thread);
        return;
      }
      case 'limit': {
        const agent = this.agents[step.agent % this.agents.length]!;
        const raised = step.maxChatsCount > agent.maxChatsCount;
        agent.maxChatsCount = step.maxChatsCount;
        if (raised) this.serveQueue();
        return;
      }
      case 'manual_routing': {
        if (step.on) this.manualGroups.add(step.group);
        else if (this.manualGroups.delete(step.group)) this.serveQueue();
        return;
      }
      default: {
        const unknown: never = step;
        throw new Error(`unknown step ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** Invariants that hold between any two steps. */
  checkInvariants(): void {
    const loads = this.loads();
    for (const thread of this.threads.values()) {
      // Assigned or waiting, never both, never neither (automatic routing).
      expect(thread.agentId === undefined).toBe(thread.queuedAt !== undefined);
      // Under manual routing a chat waits for an agent to pick it up, whoever is free.
      if (thread.queuedAt === undefined || this.isManual(thread)) continue;
      // No chat waits while an agent who could be routed to it is free.
      const able = this.view(loads).filter((agent) => canBeRoutedTo(agent, thread.groupIds));
      expect(able.map((agent) => agent.agentId)).toEqual([]);
    }
  }

  private isManual(thread: Pick<ModelThread, 'groupIds'>): boolean {
    return this.manualGroups.has(thread.groupIds[0]!);
  }

  private route(thread: ModelThread): void {
    const decision = decideChatRouting(thread, this.view(this.loads()), {
      manualRouting: this.isManual(thread),
      preferRecentAgent: false,
    });
    if (decision.type === 'assign') this.assign(thread, decision.agentId);
    else thread.queuedAt = this.now;
  }

  private serveQueue(): void {
    const waiting: WaitingChat[] = [...this.threads.values()]
      .filter((thread) => thread.queuedAt !== undefined)
      .map((thread) => ({
        ...thread,
        queuedAt: thread.queuedAt!,
        manualRouting: this.isManual(thread),
      }));
    const plan = planQueueDrain(waiting, this.view(this.loads()), this.now);
    const served = new Set(plan.map((step) => step.chat.chatId));
    for (const step of plan) {
      // Fair order: an older chat of the same groups is never passed over.
      const passedOver = waiting.filter(
        (chat) =>
          !served.has(chat.chatId) &&
          !chat.manualRouting &&
          chat.queuedAt < step.chat.queuedAt &&
          chat.groupIds.join() === step.chat.groupIds.join(),
      );
      expect(passedOver).toEqual([]);
      const thread = this.threads.get(step.chat.chatId)!;
      thread.queuedAt = undefined;
      this.assign(thread, step.agentId);
    }
  }

  private assign(thread: ModelThread, agentId: string): void {
    // No chat is assigned twice, nor automatically while its group routes by hand.
    expect(thread.agentId).toBeUndefined();
    expect(this.isManual(thread)).toBe(false);
    const agent = this.agents.find((candidate) => candidate.agentId === agentId)!;
    // Routing only ever picks an agent who accepts chats, in the chat's groups, not supervising.
    expect(canBeRoutedTo({ ...agent, load: this.loads().get(agentId) ?? 0 }, thread.groupIds)).toBe(
      true,
    );
    thread.agentId = agentId;
    agent.lastAssignedAt = this.now;
    // No agent above their limit.
    expect(this.loads().get(agentId)).toBeLessThanOrEqual(agent.maxChatsCount);
  }

  private pick(index: number): ModelThread | undefined {
    const threads = [...this.threads.values()];
    return threads.length === 0 ? undefined : threads[index % threads.length];
  }

  private loads(): Map<string, number> {
    const loads = new Map<string, number>();
    for (const thread of this.threads.values()) {
      if (thread.agentId) loads.set(thread.agentId, (loads.get(thread.agentId) ?? 0) + 1);
    }
    return loads;
  }

  private view(loads: Map<string, number>): AgentLoad[] {
    return this.agents.map((agent) => ({ ...agent, load: loads.get(agent.agentId) ?? 0 }));
  }
}

describe('routing under random interleavings (model of the router)', () => {
  it('never exceeds a limit, never assigns twice, never leaves a chat waiting for a free agent (automatic routing), serves the queue in order', () => {
    fc.assert(
      fc.property(agentsArbitrary, fc.array(stepArbitrary, { maxLength: 80 }), (agents, steps) => {
        const model = new RouterModel(agents);
        for (const step of steps) {
          model.apply(step);
          model.checkInvariants();
        }
      }),
      { numRuns: 300 },
    );
  });
});

const rank = (priority: GroupPriority) => priorities.indexOf(priority);

describe('decideRouting (properties)', () => {
  const chatArbitrary = fc.record({
    chatId: fc.constant('C'),
    threadId: fc.constant('T'),
    groupIds: fc.constantFrom([0], [1], [2], [1, 2], []),
  });
  /** Agents with random loads and last assignments (0: never assigned). */
  const viewArbitrary = fc
    .tuple(
      agentsArbitrary,
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 6, maxLength: 6 }),
      fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 6, maxLength: 6 }),
    )
    .map(([agents, loads, times]) =>
      agents.map((agent, index) => ({
        ...agent,
        load: loads[index]!,
        lastAssignedAt: times[index]! === 0 ? undefined : times[index],
      })),
    );

  it('assigns exactly when someone can be routed to, and then the best by priority, load, idle time', () => {
    fc.assert(
      fc.property(viewArbitrary, chatArbitrary, (view, chat) => {
        const decision = decideRouting(chat, view);
        const able = view.filter((agent) => canBeRoutedTo(agent, chat.groupIds));
        if (able.length === 0) {
          expect(decision).toEqual({ type: 'queue' });
          return;
        }
        expect(decision.type).toBe('assign');
        const chosen = view.find(
          (agent) => decision.type === 'assign' && agent.agentId === decision.agentId,
        )!;
        expect(able).toContain(chosen);
        const key = (agent: AgentLoad) => [
          rank(priorityFor(agent, chat.groupIds)),
          agent.load,
          agent.lastAssignedAt ?? 0,
        ];
        for (const other of able) {
          const [a, b] = [key(chosen), key(other)];
          // Nobody able is strictly better on the first criterion where they differ.
          const firstDifference = a.findIndex((value, index) => value !== b[index]);
          if (firstDifference >= 0) expect(a[firstDifference]!).toBeLessThan(b[firstDifference]!);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('gives the chat to the recent agent whenever they can be routed to', () => {
    fc.assert(
      fc.property(viewArbitrary, chatArbitrary, fc.nat(5), (view, chat, recentIndex) => {
        const recent = view[recentIndex % view.length]!;
        const decision = decideRouting({ ...chat, recentAgentId: recent.agentId }, view);
        if (canBeRoutedTo(recent, chat.groupIds)) {
          expect(decision).toEqual({ type: 'assign', agentId: recent.agentId });
        } else {
          expect(decision).toEqual(decideRouting(chat, view));
        }
      }),
      { numRuns: 300 },
    );
  });
});
