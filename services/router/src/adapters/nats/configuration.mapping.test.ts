import { ConfigurationChange } from '@threadline/contracts';
import { describe, expect, it } from 'vitest';
import { readConfigurationEvent } from './configuration.mapping.ts';

const change = (action: string, payload: unknown) =>
  readConfigurationEvent(
    ConfigurationChange.fromPartial({
      organizationId: 'org1',
      action,
      payloadJson: JSON.stringify(payload),
    }),
  );

describe('readConfigurationEvent', () => {
  it('reads an agent push: groups with priorities, 0 as no limit of their own', () => {
    expect(
      change('agent_created', {
        id: 'a@x.io',
        name: 'A',
        avatar: 'https://a',
        max_chats_count: 0,
        groups: [
          { id: 0, priority: 'normal' },
          { id: 4, priority: 'supervisor' },
        ],
        job_title: 'ignored',
      }),
    ).toEqual({
      type: 'agent_configured',
      agentId: 'a@x.io',
      userType: 'agent',
      created: true,
      fields: {
        name: 'A',
        avatar: 'https://a',
        maxChatsCount: undefined,
        groupPriorities: { 0: 'normal', 4: 'supervisor' },
      },
    });
  });

  it("reads a bot push: avatar_path, groups without a priority take the bot's default", () => {
    expect(
      change('bot_updated', {
        id: 'bot1',
        avatar_path: 'https://b',
        default_group_priority: 'first',
        groups: [{ id: 1 }, 2],
        max_chats_count: 20,
      }),
    ).toEqual({
      type: 'agent_configured',
      agentId: 'bot1',
      userType: 'bot',
      created: false,
      fields: {
        avatar: 'https://b',
        maxChatsCount: 20,
        groupPriorities: { 1: 'first', 2: 'first' },
      },
    });
  });

  it('leaves out the fields a partial update does not give', () => {
    expect(change('agent_updated', { id: 'a@x.io', job_title: 'x' })).toMatchObject({
      fields: {},
    });
  });

  it('reads suspensions, deletions and group members', () => {
    expect(change('agent_suspended', { id: 'a' })).toEqual({
      type: 'agent_suspended',
      agentId: 'a',
    });
    expect(change('bot_deleted', { id: 'b' })).toEqual({ type: 'agent_deleted', agentId: 'b' });
    expect(change('group_updated', { id: 3, agent_priorities: { a: 'last' } })).toEqual({
      type: 'group_members_set',
      groupId: 3,
      priorities: { a: 'last' },
    });
    expect(change('group_updated', { id: 3, name: 'renamed' })).toBeUndefined();
    expect(change('group_deleted', { id: 3 })).toEqual({ type: 'group_deleted', groupId: 3 });
  });

  it('reads routing settings from the chats license and group properties, set or deleted', () => {
    expect(
      change('group_properties_updated', {
        group_id: 2,
        properties: {
          chats: { manual_routing: true, 'queue.limit': 10, formatting: true },
          other: { manual_routing: false },
        },
      }),
    ).toEqual({
      type: 'routing_settings_changed',
      groupId: 2,
      set: { manual_routing: true, 'queue.limit': 10 },
      unset: [],
    });
    expect(
      change('license_properties_deleted', { properties: { chats: ['queue.limit', 'nope'] } }),
    ).toEqual({
      type: 'routing_settings_changed',
      groupId: undefined,
      set: {},
      unset: ['queue.limit'],
    });
    expect(
      change('license_properties_updated', { properties: { client1: { x: 1 } } }),
    ).toBeUndefined();
  });

  it('ignores actions routing has no use for and throws on payloads it cannot read', () => {
    expect(change('tag_created', { name: 't' })).toBeUndefined();
    expect(() => change('agent_created', { name: 'no id' })).toThrow();
    expect(() => change('group_updated', { id: 'x' })).toThrow();
    expect(() => change('license_properties_updated', { properties: 'all' })).toThrow();
    expect(() =>
      readConfigurationEvent(
        ConfigurationChange.fromPartial({ action: 'agent_deleted', payloadJson: '{oops' }),
      ),
    ).toThrow();
  });
});
