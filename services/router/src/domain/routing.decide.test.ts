import { describe, expect, it } from 'vitest';
import {
  type AgentLoad,
  type ChatToRoute,
  decideRouting,
  isInChatGroups,
  planQueueDrain,
  priorityFor,
  type WaitingChat,
} from './routing.decide.ts';

const anAgent = (overrides: Partial<AgentLoad> & { agentId: string }): AgentLoad => ({
  status: 'accepting_chats',
  groupIds: [0],
  maxChatsCount: 6,
  load: 0,
  lastAssignedAt: undefined,
  ...overrides,
});
const aChat = (overrides: Partial<ChatToRoute> = {}): ChatToRoute => ({
  chatId: 'C1',
  threadId: 'T1',
  groupIds: [0],
  ...overrides,
});
const aWaitingChat = (chatId: string, queuedAt: number, groupIds = [0]): WaitingChat => ({
  chatId,
  threadId: `${chatId}-T`,
  groupIds,
  queuedAt,
});

describe('decideRouting', () => {
  it('assigns the least loaded agent', () => {
    const agents = [
      anAgent({ agentId: 'busy', load: 3 }),
      anAgent({ agentId: 'free', load: 1 }),
      anAgent({ agentId: 'medium', load: 2 }),
    ];
    expect(decideRouting(aChat(), agents)).toEqual({ type: 'assign', agentId: 'free' });
  });

  it('breaks a tie in load by the agent idle longest, never-assigned first', () => {
    const agents = [
      anAgent({ agentId: 'recent', load: 1, lastAssignedAt: 2_000 }),
      anAgent({ agentId: 'earlier', load: 1, lastAssignedAt: 1_000 }),
    ];
    expect(decideRouting(aChat(), agents)).toEqual({ type: 'assign', agentId: 'earlier' });
    const withNewcomer = [...agents, anAgent({ agentId: 'newcomer', load: 1 })];
    expect(decideRouting(aChat(), withNewcomer)).toEqual({ type: 'assign', agentId: 'newcomer' });
  });

  it('breaks a full tie by agent id so every replica decides alike', () => {
    const agents = [anAgent({ agentId: 'b@x.io' }), anAgent({ agentId: 'a@x.io' })];
    expect(decideRouting(aChat(), agents)).toEqual({ type: 'assign', agentId: 'a@x.io' });
  });

  it('skips agents who are not accepting chats or are at their limit', () => {
    const agents = [
      anAgent({ agentId: 'away', status: 'not_accepting_chats' }),
      anAgent({ agentId: 'gone', status: 'offline' }),
      anAgent({ agentId: 'full', load: 2, maxChatsCount: 2 }),
      anAgent({ agentId: 'able', load: 5, maxChatsCount: 6 }),
    ];
    expect(decideRouting(aChat(), agents)).toEqual({ type: 'assign', agentId: 'able' });
  });

  it('queues the chat when nobody can take it', () => {
    const agents = [
      anAgent({ agentId: 'full', load: 6 }),
      anAgent({ agentId: 'away', status: 'offline' }),
    ];
    expect(decideRouting(aChat(), agents)).toEqual({ type: 'queue' });
    expect(decideRouting(aChat(), [])).toEqual({ type: 'queue' });
  });

  it('routes a chat of a group only to agents of that group', () => {
    const agents = [
      anAgent({ agentId: 'general', groupIds: [0] }),
      anAgent({ agentId: 'sales', groupIds: [0, 5], load: 4 }),
    ];
    expect(decideRouting(aChat({ groupIds: [5] }), agents)).toEqual({
      type: 'assign',
      agentId: 'sales',
    });
    expect(decideRouting(aChat({ groupIds: [7] }), agents)).toEqual({ type: 'queue' });
  });

  it('routes a chat of group 0 (or of no group) to any agent of the organization', () => {
    const agents = [anAgent({ agentId: 'support', groupIds: [3] })];
    expect(decideRouting(aChat({ groupIds: [0] }), agents)).toEqual({
      type: 'assign',
      agentId: 'support',
    });
    expect(decideRouting(aChat({ groupIds: [] }), agents)).toEqual({
      type: 'assign',
      agentId: 'support',
    });
  });
});

describe('decideRouting with the chat’s routing properties', () => {
  const bot = anAgent({ agentId: 'bot1', isBot: true, load: 0 });
  const human = anAgent({ agentId: 'ann@x', load: 3 });

  it('routes to bots and agents alike by default', () => {
    expect(decideRouting(aChat(), [bot, human])).toEqual({ type: 'assign', agentId: 'bot1' });
  });

  it('keeps a chat from bots with routing.ignore_bots, and from agents with ignore_agents_routing', () => {
    expect(decideRouting(aChat({ ignoreBots: true }), [bot, human])).toEqual({
      type: 'assign',
      agentId: 'ann@x',
    });
    expect(decideRouting(aChat({ ignoreAgents: true }), [human, bot])).toEqual({
      type: 'assign',
      agentId: 'bot1',
    });
    expect(decideRouting(aChat({ ignoreBots: true }), [bot])).toEqual({ type: 'queue' });
  });
});

describe('decideRouting with group priorities', () => {
  it('serves first before normal before last, whatever their load', () => {
    const agents = [
      anAgent({ agentId: 'last', groupIds: [0, 5], groupPriorities: { 5: 'last' } }),
      anAgent({ agentId: 'normal', groupIds: [0, 5], load: 3, groupPriorities: { 5: 'normal' } }),
      anAgent({ agentId: 'first', groupIds: [0, 5], load: 5, groupPriorities: { 5: 'first' } }),
    ];
    const chat = aChat({ groupIds: [5] });
    expect(decideRouting(chat, agents)).toEqual({ type: 'assign', agentId: 'first' });
    const firstFull = agents.map((agent) =>
      agent.agentId === 'first' ? { ...agent, load: 6 } : agent,
    );
    expect(decideRouting(chat, firstFull)).toEqual({ type: 'assign', agentId: 'normal' });
    const onlyLast = firstFull.filter((agent) => agent.agentId !== 'normal');
    expect(decideRouting(chat, onlyLast)).toEqual({ type: 'assign', agentId: 'last' });
  });

  it('orders agents of equal priority by load, then idle time', () => {
    const agents = [
      anAgent({ agentId: 'a', groupIds: [5], load: 2, groupPriorities: { 5: 'first' } }),
      anAgent({ agentId: 'b', groupIds: [5], load: 1, groupPriorities: { 5: 'first' } }),
      anAgent({ agentId: 'c', groupIds: [5], load: 0, groupPriorities: { 5: 'normal' } }),
    ];
    expect(decideRouting(aChat({ groupIds: [5] }), agents)).toEqual({
      type: 'assign',
      agentId: 'b',
    });
  });

  it('never gives a supervisor a chat automatically: the chat waits instead', () => {
    const agents = [
      anAgent({ agentId: 'boss', groupIds: [0, 5], groupPriorities: { 5: 'supervisor' } }),
    ];
    expect(decideRouting(aChat({ groupIds: [5] }), agents)).toEqual({ type: 'queue' });
    // In group 0 the same agent has the default priority and may be routed to.
    expect(decideRouting(aChat({ groupIds: [0] }), agents)).toEqual({
      type: 'assign',
      agentId: 'boss',
    });
  });

  it("takes an agent's best priority among the chat's groups they are in", () => {
    const agent = anAgent({
      agentId: 'x',
      groupIds: [0, 1, 2, 3],
      groupPriorities: { 0: 'last', 1: 'supervisor', 2: 'first', 3: 'last' },
    });
    expect(priorityFor(agent, [1, 2])).toBe('first');
    expect(priorityFor(agent, [1, 9])).toBe('supervisor');
    expect(priorityFor(agent, [0])).toBe('last');
    expect(priorityFor(agent, [])).toBe('last');
    expect(priorityFor(anAgent({ agentId: 'y', groupIds: [4] }), [4])).toBe('normal');
  });
});

describe('decideRouting with prefer_recent_agent', () => {
  const agents = [
    anAgent({ agentId: 'free', load: 0 }),
    anAgent({ agentId: 'recent', load: 4 }),
    anAgent({ agentId: 'full', load: 6 }),
    anAgent({ agentId: 'away', status: 'not_accepting_chats' }),
    anAgent({ agentId: 'boss', groupPriorities: { 0: 'supervisor' } }),
  ];

  it('returns the customer to the agent who served them last, over a less loaded one', () => {
    expect(decideRouting(aChat({ recentAgentId: 'recent' }), agents)).toEqual({
      type: 'assign',
      agentId: 'recent',
    });
  });

  it('routes as usual when that agent cannot take the chat', () => {
    for (const recentAgentId of ['full', 'away', 'boss', 'unknown']) {
      expect(decideRouting(aChat({ recentAgentId }), agents)).toEqual({
        type: 'assign',
        agentId: 'free',
      });
    }
  });

  it('returns the customer to a recent agent of a lower priority too', () => {
    const prioritised = [
      anAgent({ agentId: 'first', groupPriorities: { 0: 'first' } }),
      anAgent({ agentId: 'recent', groupPriorities: { 0: 'last' } }),
    ];
    expect(decideRouting(aChat({ recentAgentId: 'recent' }), prioritised)).toEqual({
      type: 'assign',
      agentId: 'recent',
    });
  });
});

describe('isInChatGroups', () => {
  it('matches on any shared group, or when the chat is in group 0', () => {
    expect(isInChatGroups([1, 2], [2, 9])).toBe(true);
    expect(isInChatGroups([1], [2])).toBe(false);
    expect(isInChatGroups([0], [2])).toBe(false);
    expect(isInChatGroups([], [0])).toBe(true);
  });
});

describe('planQueueDrain', () => {
  it('serves the oldest waiting chats first, within the free slots', () => {
    const waiting = [aWaitingChat('C3', 300), aWaitingChat('C1', 100), aWaitingChat('C2', 200)];
    const agents = [anAgent({ agentId: 'a', load: 4, maxChatsCount: 6 })];
    const plan = planQueueDrain(waiting, agents, 1_000);
    expect(plan.map((step) => [step.chat.chatId, step.agentId])).toEqual([
      ['C1', 'a'],
      ['C2', 'a'],
    ]);
  });

  it('spreads chats over agents, counting each assignment before the next', () => {
    const waiting = [aWaitingChat('C1', 1), aWaitingChat('C2', 2), aWaitingChat('C3', 3)];
    const agents = [anAgent({ agentId: 'a', load: 0 }), anAgent({ agentId: 'b', load: 1 })];
    const plan = planQueueDrain(waiting, agents, 1_000);
    // C1: a (0 < 1). C2: both at 1, b never assigned, a just was. C3: a (1 < 2).
    expect(plan.map((step) => step.agentId)).toEqual(['a', 'b', 'a']);
  });

  it('lets a younger chat of another group pass a chat nobody can take', () => {
    const waiting = [aWaitingChat('C1', 1, [9]), aWaitingChat('C2', 2, [5])];
    const agents = [anAgent({ agentId: 'sales', groupIds: [5] })];
    const plan = planQueueDrain(waiting, agents, 1_000);
    expect(plan.map((step) => step.chat.chatId)).toEqual(['C2']);
  });

  it('does not change the agents it was given', () => {
    const agents = [anAgent({ agentId: 'a', load: 0 })];
    planQueueDrain([aWaitingChat('C1', 1)], agents, 1_000);
    expect(agents[0]).toMatchObject({ load: 0, lastAssignedAt: undefined });
  });
});
