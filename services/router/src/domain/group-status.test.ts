import { describe, expect, it } from 'vitest';
import { anAgentLoad } from './agent-load.fixture.ts';
import { groupStatus, predictAgent } from './group-status.ts';

const anAgent = anAgentLoad;

describe('groupStatus', () => {
  it('is online when an agent of the group accepts chats and has a free slot', () => {
    expect(groupStatus([anAgent({ groupIds: [0, 3] })], 3)).toBe('online');
  });

  it('is online_for_queue when the accepting agents of the group are full', () => {
    expect(groupStatus([anAgent({ groupIds: [0, 3], load: 2 })], 3)).toBe('online_for_queue');
  });

  it('is online_for_queue when only supervisors of the group have a free slot', () => {
    const supervisor = anAgent({ groupIds: [0, 3], groupPriorities: { 3: 'supervisor' } });
    expect(groupStatus([supervisor], 3)).toBe('online_for_queue');
    expect(predictAgent([supervisor], 3)).toEqual({ type: 'group_unavailable' });
  });

  it('is offline when nobody of the group accepts chats', () => {
    const agents = [
      anAgent({ groupIds: [0, 3], status: 'not_accepting_chats' }),
      anAgent({ agentId: 'b', groupIds: [0] }),
    ];
    expect(groupStatus(agents, 3)).toBe('offline');
  });

  it('counts every agent for group 0', () => {
    expect(groupStatus([anAgent({ groupIds: [5] })], 0)).toBe('online');
  });
});

describe('predictAgent', () => {
  it('names the agent routing would pick: the least loaded', () => {
    const agents = [anAgent({ agentId: 'busy', load: 1 }), anAgent({ agentId: 'free' })];
    expect(predictAgent(agents, 0)).toEqual({ type: 'agent', agentId: 'free' });
  });

  it('is group_unavailable when the group is online but full, group_offline when offline', () => {
    expect(predictAgent([anAgent({ load: 2 })], 0)).toEqual({ type: 'group_unavailable' });
    expect(predictAgent([anAgent({ status: 'offline' })], 0)).toEqual({ type: 'group_offline' });
  });
});
