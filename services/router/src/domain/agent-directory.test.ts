import { describe, expect, it } from 'vitest';
import {
  agentLostBy,
  agentsTouchedBy,
  type ConfigurationEvent,
  type DirectoryAgent,
  evolveAgent,
  groupIdsOf,
} from './agent-directory.ts';

const anAgent = (overrides: Partial<DirectoryAgent> = {}): DirectoryAgent => ({
  agentId: 'a@x.io',
  userType: 'agent',
  name: 'A',
  avatar: '',
  groupPriorities: { 0: 'normal', 2: 'first' },
  maxChatsCount: undefined,
  status: 'accepting_chats',
  removed: undefined,
  ...overrides,
});

const configured = (
  fields: Extract<ConfigurationEvent, { type: 'agent_configured' }>['fields'],
  created = false,
): ConfigurationEvent => ({
  type: 'agent_configured',
  agentId: 'a@x.io',
  userType: 'agent',
  created,
  fields,
});

describe('evolveAgent', () => {
  it('creates an agent logged out, in group 0 whatever groups they were given', () => {
    const agent = evolveAgent(
      undefined,
      configured({ name: 'A', groupPriorities: { 3: 'last' }, maxChatsCount: 4 }, true),
    );
    expect(agent).toEqual(
      anAgent({ groupPriorities: { 0: 'normal', 3: 'last' }, maxChatsCount: 4, status: 'offline' }),
    );
  });

  it('updates only the fields a change gives, keeping the status', () => {
    const agent = evolveAgent(anAgent({ maxChatsCount: 3 }), configured({ name: 'B' }));
    expect(agent).toEqual(anAgent({ name: 'B', maxChatsCount: 3 }));
    const unlimited = evolveAgent(
      anAgent({ maxChatsCount: 3 }),
      configured({ maxChatsCount: undefined }),
    );
    expect(unlimited?.maxChatsCount).toBeUndefined();
  });

  it('replaces the groups when a change gives them', () => {
    const agent = evolveAgent(
      anAgent(),
      configured({ groupPriorities: { 0: 'last', 7: 'first' } }),
    );
    expect(agent?.groupPriorities).toEqual({ 0: 'last', 7: 'first' });
  });

  it('takes suspended and deleted agents offline; unsuspending does not log them in', () => {
    const suspended = evolveAgent(anAgent(), { type: 'agent_suspended', agentId: 'a@x.io' });
    expect(suspended).toMatchObject({ status: 'offline', removed: 'suspended' });
    const back = evolveAgent(suspended, { type: 'agent_unsuspended', agentId: 'a@x.io' });
    expect(back).toMatchObject({ status: 'offline', removed: undefined });
    const deleted = evolveAgent(anAgent(), { type: 'agent_deleted', agentId: 'a@x.io' });
    expect(deleted).toMatchObject({ status: 'offline', removed: 'deleted' });
    expect(evolveAgent(deleted, { type: 'agent_unsuspended', agentId: 'a@x.io' })?.removed).toBe(
      'deleted',
    );
  });

  it('revives a deleted agent created again under the same id, from scratch', () => {
    const deleted = anAgent({ removed: 'deleted', status: 'offline', maxChatsCount: 9 });
    const again = evolveAgent(deleted, configured({ name: 'A' }, true));
    expect(again).toEqual(anAgent({ status: 'offline', groupPriorities: { 0: 'normal' } }));
  });

  it('does not invent agents from changes other than their creation or update', () => {
    for (const type of ['agent_suspended', 'agent_unsuspended', 'agent_deleted'] as const) {
      expect(evolveAgent(undefined, { type, agentId: 'a@x.io' })).toBeUndefined();
    }
    expect(
      evolveAgent(undefined, { type: 'group_members_set', groupId: 2, priorities: {} }),
    ).toBeUndefined();
  });

  it("sets a group's members: listed ones get their priority, others leave the group", () => {
    const event: ConfigurationEvent = {
      type: 'group_members_set',
      groupId: 2,
      priorities: { 'b@x.io': 'supervisor' },
    };
    expect(evolveAgent(anAgent(), event)?.groupPriorities).toEqual({ 0: 'normal' });
    expect(evolveAgent(anAgent({ agentId: 'b@x.io' }), event)?.groupPriorities).toEqual({
      0: 'normal',
      2: 'supervisor',
    });
    // Nobody leaves group 0.
    const general: ConfigurationEvent = { type: 'group_members_set', groupId: 0, priorities: {} };
    expect(
      evolveAgent(anAgent({ groupPriorities: { 0: 'first' } }), general)?.groupPriorities,
    ).toEqual({ 0: 'normal' });
  });

  it('drops a deleted group from its members, never group 0', () => {
    expect(evolveAgent(anAgent(), { type: 'group_deleted', groupId: 2 })?.groupPriorities).toEqual({
      0: 'normal',
    });
    const agent = anAgent();
    expect(evolveAgent(agent, { type: 'group_deleted', groupId: 0 })).toBe(agent);
    expect(evolveAgent(agent, { type: 'group_deleted', groupId: 9 })).toBe(agent);
  });
});

describe('agentsTouchedBy and agentLostBy', () => {
  it('names the agents a change may touch and the agent it takes out of routing', () => {
    expect(agentsTouchedBy(configured({}))).toEqual({ agentId: 'a@x.io' });
    expect(agentsTouchedBy({ type: 'group_deleted', groupId: 1 })).toBe('all');
    expect(
      agentsTouchedBy({ type: 'routing_settings_changed', groupId: undefined, set: {}, unset: [] }),
    ).toBe('none');
    expect(agentLostBy({ type: 'agent_suspended', agentId: 'a' })).toEqual({
      agentId: 'a',
      reason: 'suspended',
    });
    expect(agentLostBy({ type: 'agent_deleted', agentId: 'a' })).toEqual({
      agentId: 'a',
      reason: 'deleted',
    });
    expect(agentLostBy({ type: 'agent_unsuspended', agentId: 'a' })).toBeUndefined();
    expect(groupIdsOf({ groupPriorities: { 10: 'normal', 2: 'first', 0: 'last' } })).toEqual([
      0, 2, 10,
    ]);
  });
});
