import { describe, expect, it } from 'vitest';
import { agentTargets, groupTargets, transferFailure, transferTarget } from './transfer.ts';

describe('transfer targets', () => {
  it('names agents with their load and groups with their status, in one list of values', () => {
    const agents = agentTargets(
      [{ agent_id: 'bob@x.io', total_active_chats: 2 }],
      [{ id: 'bob@x.io', name: 'Bob' }],
    );
    const groups = groupTargets([
      { id: 0, name: 'General', routing_status: 'accepting_chats' },
      { id: 3, name: 'Returns', routing_status: 'offline' },
    ]);
    expect([...agents, ...groups]).toEqual([
      { value: 'agent:bob@x.io', label: 'Bob (2 chats)' },
      { value: 'group:0', label: 'General (accepting chats)' },
      { value: 'group:3', label: 'Returns (offline)' },
    ]);
  });

  it('sends group ids as numbers and agent ids as they are', () => {
    expect(transferTarget('group:3')).toEqual({ type: 'group', ids: [3] });
    expect(transferTarget('agent:a:b@x.io')).toEqual({ type: 'agent', ids: ['a:b@x.io'] });
  });

  it('says a refusal in words, and anything else as the server put it', () => {
    expect(transferFailure({ type: 'group_offline', message: 'x' })).toMatch(
      /Nobody in that group is accepting chats/,
    );
    expect(transferFailure({ type: 'agent_offline', message: 'x' })).toMatch(/That agent is not/);
    expect(transferFailure({ type: 'group_unavailable', message: 'x' })).toMatch(/busy/);
    expect(transferFailure({ type: 'internal', message: 'internal: boom' })).toBe(
      'Transfer failed: internal: boom',
    );
  });
});
