import { describe, expect, it } from 'vitest';
import { anAgentLoad } from './agent-load.fixture.ts';
import type { AgentLoad } from './routing.decide.ts';
import { agentsForTransfer, transferAvailability } from './transfer.ts';

const agent = (agentId: string, overrides: Partial<AgentLoad> = {}): AgentLoad =>
  anAgentLoad({ agentId, ...overrides });

describe('agentsForTransfer', () => {
  it('lists agents accepting chats in the groups, least loaded first', () => {
    const agents = [
      agent('busy@x', { load: 2, groupIds: [0, 5] }),
      agent('idle@x', { groupIds: [0, 5] }),
      agent('away@x', { status: 'not_accepting_chats', groupIds: [0, 5] }),
      agent('general@x', { load: 1 }),
    ];
    expect(agentsForTransfer(agents, [5])).toEqual([
      { agent_id: 'idle@x', total_active_chats: 0 },
      { agent_id: 'busy@x', total_active_chats: 2 },
    ]);
    expect(agentsForTransfer(agents, [0]).map((entry) => entry.agent_id)).toEqual([
      'idle@x',
      'general@x',
      'busy@x',
    ]);
  });
});

describe('transferAvailability', () => {
  it('needs one target agent accepting chats below their limit', () => {
    const agents = [
      agent('full@x', { load: 2 }),
      agent('free@x'),
      agent('off@x', { status: 'offline' }),
    ];
    expect(transferAvailability(agents, { agentIds: ['full@x', 'free@x'] })).toBe('available');
    expect(transferAvailability(agents, { agentIds: ['full@x', 'off@x'] })).toBe('agent_offline');
    expect(transferAvailability(agents, { agentIds: ['unknown@x'] })).toBe('agent_offline');
  });

  it('tells an offline group from one whose accepting agents are full', () => {
    const agents = [agent('sales@x', { groupIds: [0, 5], load: 2 }), agent('free@x')];
    expect(transferAvailability(agents, { groupIds: [0] })).toBe('available');
    expect(transferAvailability(agents, { groupIds: [5] })).toBe('group_unavailable');
    expect(transferAvailability(agents, { groupIds: [7] })).toBe('group_offline');
  });
});
