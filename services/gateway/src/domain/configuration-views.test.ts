import type { Agent } from '@threadline/accounts';
import { describe, expect, it } from 'vitest';
import {
  agentState,
  agentView,
  botView,
  groupRoutingStatus,
  groupView,
  tagView,
} from './configuration-views.ts';

function anAgent(overrides: Partial<Agent> = {}): Agent {
  return {
    organizationId: 'org',
    id: 'smith@example.com',
    accountId: 'd24fa41e-bc16-41b8-a15b-9ca45ff7e0cf',
    type: 'agent',
    name: 'Agent Smith',
    role: 'administrator',
    maxChatsCount: 6,
    avatar: 'https://example.com/a.png',
    jobTitle: 'Support Hero',
    groups: [{ id: 0, priority: 'normal' }],
    ownerClientId: undefined,
    createdAt: new Date('2025-01-01T00:00:00Z'),
    loginStatus: 'accepting chats',
    mobile: '',
    notifications: ['new_visitor'],
    emailSubscriptions: [],
    workScheduler: undefined,
    suspended: false,
    awaitingApproval: false,
    defaultGroupPriority: undefined,
    botType: undefined,
    ...overrides,
  };
}

describe('agentView', () => {
  it("shows LiveChat's base fields and only the extra fields asked for", () => {
    expect(agentView(anAgent(), [], 'avatar')).toEqual({
      id: 'smith@example.com',
      account_id: 'd24fa41e-bc16-41b8-a15b-9ca45ff7e0cf',
      name: 'Agent Smith',
      avatar: 'https://example.com/a.png',
      role: 'administrator',
      login_status: 'accepting chats',
    });
    const listed = agentView(
      anAgent(),
      ['max_chats_count', 'groups', 'last_logout'],
      'avatar_path',
    );
    expect(listed).toMatchObject({ avatar_path: 'https://example.com/a.png', max_chats_count: 6 });
    expect(listed.groups).toEqual([{ id: 0, priority: 'normal' }]);
    expect(listed).not.toHaveProperty('last_logout');
    expect(listed).not.toHaveProperty('job_title');
  });
});

describe('agentState', () => {
  it('includes empty fields, as agent_created does', () => {
    expect(agentState(anAgent())).toMatchObject({
      mobile: '',
      email_subscriptions: [],
      work_scheduler: {},
    });
  });
});

describe('botView', () => {
  it('shows a bot with its defaults and the timezone of its scheduler when asked', () => {
    const bot = anAgent({
      id: '5c9871d5372c824cbf22d860a707a578',
      type: 'bot',
      ownerClientId: 'client',
      workScheduler: { timezone: 'Europe/Warsaw' },
    });
    expect(botView(bot, ['timezone'])).toEqual({
      id: '5c9871d5372c824cbf22d860a707a578',
      name: 'Agent Smith',
      avatar_path: 'https://example.com/a.png',
      default_group_priority: 'normal',
      owner_client_id: 'client',
      timezone: 'Europe/Warsaw',
    });
  });
});

describe('groupView and tagView', () => {
  it('add agent priorities and routing status only when given', () => {
    const group = { organizationId: 'org', id: 19, name: 'Sports shoes', languageCode: 'en' };
    expect(groupView(group)).toEqual({ id: 19, name: 'Sports shoes', language_code: 'en' });
    expect(
      groupView(group, { agentPriorities: { 'a@x.test': 'last' }, routingStatus: 'offline' }),
    ).toEqual({
      id: 19,
      name: 'Sports shoes',
      language_code: 'en',
      agent_priorities: { 'a@x.test': 'last' },
      routing_status: 'offline',
    });
  });

  it("formats a tag's creation time as LiveChat does", () => {
    const tag = {
      name: 'sales',
      groupIds: [0],
      authorId: '',
      createdAt: new Date('2019-12-09T12:01:18.909Z'),
    };
    expect(tagView(tag)).toEqual({
      name: 'sales',
      group_ids: [0],
      author_id: '',
      created_at: '2019-12-09T12:01:18.909000Z',
    });
  });
});

describe('groupRoutingStatus', () => {
  const statuses = new Map([
    ['a', 'accepting_chats'],
    ['n', 'not_accepting_chats'],
    ['o', 'offline'],
  ]);

  it('is accepting when any member accepts, not accepting when only logged-in members do not', () => {
    expect(groupRoutingStatus(['o', 'n', 'a'], statuses)).toBe('accepting_chats');
    expect(groupRoutingStatus(['o', 'n'], statuses)).toBe('not_accepting_chats');
    expect(groupRoutingStatus(['o', 'unknown'], statuses)).toBe('offline');
  });
});
