import type { Identity } from '@threadline/accounts';
import { describe, expect, it } from 'vitest';
import { newCommand, toRequester } from './commands.ts';

const agent: Identity = {
  organizationId: 'org',
  userId: 'ann@example.test',
  userType: 'agent',
  name: 'Ann',
  email: 'ann@example.test',
  avatar: 'https://a.test/ann.png',
  jobTitle: '',
  groupIds: [0, 3],
  role: 'normal',
  maxChatsCount: 4,
  clientId: undefined,
  credential: 'personal_access_token',
  expiresAt: undefined,
};
const customer: Identity = {
  ...agent,
  userId: 'cust',
  userType: 'customer',
  email: '',
  groupIds: [5],
  role: undefined,
  maxChatsCount: 0,
};

describe('toRequester', () => {
  it("copies an agent's identity, groups and limits, and the connection it spoke on", () => {
    expect(toRequester(agent, { connectionId: 'conn', requestId: 'req' })).toEqual({
      organizationId: 'org',
      userId: 'ann@example.test',
      userType: 'agent',
      name: 'Ann',
      email: 'ann@example.test',
      avatar: 'https://a.test/ann.png',
      groupIds: [0, 3],
      connectionId: 'conn',
      requestId: 'req',
      maxChatsCount: 4,
      role: 'normal',
      clientId: '',
      allChats: false,
    });
  });

  it('reaches all chats only under a method its chats--all scope grants', () => {
    const admin = { ...agent, role: 'administrator' as const, scopes: ['chats--all:ro'] };
    expect(toRequester(admin, {}, 'list_chats').allChats).toBe(true);
    expect(toRequester(admin, {}, 'send_event').allChats).toBe(false);
    expect(toRequester(admin, {}).allChats).toBe(false);
  });

  it("names the bearer token's client, which webhooks' source_type tells apart", () => {
    expect(toRequester({ ...agent, clientId: 'app-1' }, {}).clientId).toBe('app-1');
  });

  it("puts a customer in exactly one group: the login's, else the token's", () => {
    expect(toRequester(customer, {}).groupIds).toEqual([5]);
    expect(toRequester(customer, { customerGroupId: 0 }).groupIds).toEqual([0]);
    expect(toRequester({ ...customer, groupIds: [] }, {}).groupIds).toEqual([0]);
  });
});

describe('newCommand', () => {
  it('gives every command a fresh id and the time it was issued', () => {
    const now = new Date('2030-05-06T07:08:09.123Z');
    const first = newCommand({
      identity: agent,
      context: {},
      action: 'list_chats',
      payload: { limit: 1 },
      version: '3.6',
      now,
    });
    const second = newCommand({
      identity: agent,
      context: {},
      action: 'list_chats',
      payload: {},
      version: '3.6',
      now,
    });
    expect(first.commandId).not.toBe(second.commandId);
    expect(first).toMatchObject({
      action: 'list_chats',
      payloadJson: '{"limit":1}',
      apiVersion: '3.6',
      issuedAt: '2030-05-06T07:08:09.123Z',
    });
  });
});
