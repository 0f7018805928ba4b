import { describe, expect, it } from 'vitest';
import { deleteAgent, setAgentState, updateAgent } from './agent-changes.ts';
import { createAgent, findAgent, registerAgent } from './agents.ts';
import { authenticate } from './authenticate.ts';
import { createClient } from './clients.ts';
import { createGroup, deleteGroup, listAgentPriorities, updateGroup } from './groups.ts';
import { createOrganization } from './organizations.ts';
import {
  deleteLicenseProperties,
  listGroupProperties,
  listLicenseProperties,
  registerProperty,
  updateGroupProperties,
  updateLicenseProperties,
} from './properties.ts';
import { createTag, listTags } from './tags.ts';
import { useAccountsDatabase } from './test-database.ts';
import { issueAgentToken } from './tokens.ts';

const accounts = useAccountsDatabase();

describe('agents changed by the Configuration API', () => {
  it('registers an agent without credentials and replaces its groups, keeping group 0', async () => {
    const organization = await createOrganization(accounts.db, { name: 'Changes' });
    const sales = await createGroup(accounts.db, {
      organizationId: organization.id,
      name: 'Sales',
    });
    const agent = await registerAgent(accounts.db, {
      organizationId: organization.id,
      email: 'new@x.test',
      name: 'New',
      groups: [{ id: sales.id, priority: 'first' }],
    });
    expect(agent.groups).toEqual([
      { id: 0, priority: 'normal' },
      { id: sales.id, priority: 'first' },
    ]);
    const tokens = await accounts.db.selectFrom('personal_access_tokens').selectAll().execute();
    expect(tokens.filter((token) => token.account_id === agent.accountId)).toEqual([]);

    const updated = await updateAgent(
      accounts.db,
      organization.id,
      { id: 'new@x.test', type: 'agent' },
      { groups: [], maxChatsCount: 2, notifications: ['new_goal'] },
    );
    expect(updated).toMatchObject({ maxChatsCount: 2, notifications: ['new_goal'] });
    expect((await findAgent(accounts.db, organization.id, 'new@x.test'))?.groups).toEqual([
      { id: 0, priority: 'normal' },
    ]);
    await expect(
      updateAgent(
        accounts.db,
        organization.id,
        { id: 'new@x.test', type: 'bot' },
        { name: 'Bot?' },
      ),
    ).rejects.toMatchObject({ type: 'not_found' });
  });

  it('reports whether a state change changed anything, and deletes every credential', async () => {
    const organization = await createOrganization(accounts.db, { name: 'States' });
    const { basicCredentials } = await createAgent(accounts.db, {
      organizationId: organization.id,
      email: 'state@x.test',
      name: 'State',
    });
    const token = await issueAgentToken(accounts.db, {
      organizationId: organization.id,
      agentId: 'state@x.test',
    });
    const first = await setAgentState(accounts.db, organization.id, 'state@x.test', {
      suspended: true,
    });
    const again = await setAgentState(accounts.db, organization.id, 'state@x.test', {
      suspended: true,
    });
    expect([first.changed, again.changed]).toEqual([true, false]);
    expect(await authenticate(accounts.db, `Basic ${basicCredentials}`)).toMatchObject({
      suspended: true,
    });

    await deleteAgent(accounts.db, organization.id, { id: 'state@x.test', type: 'agent' });
    expect(await authenticate(accounts.db, `Basic ${basicCredentials}`)).toBeUndefined();
    expect(await authenticate(accounts.db, `Bearer ${token.accessToken}`)).toBeUndefined();
  });
});

describe('groups, tags and properties', () => {
  it('keeps every agent in group 0, and takes a deleted group off tags and properties', async () => {
    const organization = await createOrganization(accounts.db, { name: 'Groups' });
    await createAgent(accounts.db, {
      organizationId: organization.id,
      email: 'a@x.test',
      name: 'A',
    });
    await createAgent(accounts.db, {
      organizationId: organization.id,
      email: 'b@x.test',
      name: 'B',
    });
    await updateGroup(accounts.db, organization.id, 0, { agentPriorities: { 'a@x.test': 'last' } });
    expect((await listAgentPriorities(accounts.db, organization.id, [0])).get(0)).toEqual({
      'a@x.test': 'last',
      'b@x.test': 'normal',
    });

    const support = await createGroup(accounts.db, {
      organizationId: organization.id,
      name: 'Support',
      agentPriorities: { 'a@x.test': 'normal' },
    });
    const client = await createClient(accounts.db, {
      organizationId: organization.id,
      name: 'App',
    });
    await registerProperty(accounts.db, organization.id, {
      ownerClientId: client.id,
      registration: {
        name: 'tier',
        type: 'string',
        access: { group: { agent: ['read', 'write'] } },
      },
    });
    await updateGroupProperties(accounts.db, organization.id, support.id, {
      [client.id]: { tier: 'gold' },
    });
    expect(
      await listGroupProperties(accounts.db, organization.id, support.id, {
        namespace: client.id,
      }),
    ).toEqual({ [client.id]: { tier: 'gold' } });
    await createTag(accounts.db, {
      organizationId: organization.id,
      name: 'vip',
      groupIds: [0, support.id],
      authorId: 'a@x.test',
    });

    await deleteGroup(accounts.db, organization.id, support.id);
    expect((await listTags(accounts.db, organization.id))[0]?.groupIds).toEqual([0]);
    await expect(
      listGroupProperties(accounts.db, organization.id, support.id),
    ).rejects.toMatchObject({
      type: 'group_not_found',
    });
    expect((await findAgent(accounts.db, organization.id, 'a@x.test'))?.groups).toEqual([
      { id: 0, priority: 'last' },
    ]);
  });

  it('shows the built-in test properties and defaults to every organization, values to their own', async () => {
    const one = await createOrganization(accounts.db, { name: 'One' });
    const two = await createOrganization(accounts.db, { name: 'Two' });
    await updateLicenseProperties(accounts.db, one.id, { test: { int_property: 7 } });
    const test = { namespace: 'test' };
    expect(await listLicenseProperties(accounts.db, one.id, test)).toEqual({
      test: { int_property: 7 },
    });
    expect(await listLicenseProperties(accounts.db, two.id, test)).toEqual({});
  });

  it('keeps the routing settings as chats properties, with defaults, set and reset, agents only', async () => {
    const organization = await createOrganization(accounts.db, { name: 'Routing' });
    const chats = { namespace: 'chats' };
    const defaults = {
      chat_inactive_after_min: 30,
      transfer_chat_after_min: 0,
      customer_timeout_after_min: 0,
      manual_routing: false,
      prefer_recent_agent: false,
      max_agent_active_chats: 6,
      'queue.enabled': true,
      'queue.limit': 100,
    };
    expect(await listLicenseProperties(accounts.db, organization.id, chats)).toEqual({
      chats: defaults,
    });
    await updateLicenseProperties(accounts.db, organization.id, {
      chats: { chat_inactive_after_min: 10, 'queue.enabled': false },
    });
    expect((await listLicenseProperties(accounts.db, organization.id, chats)).chats).toEqual({
      ...defaults,
      chat_inactive_after_min: 10,
      'queue.enabled': false,
    });
    await expect(
      updateLicenseProperties(accounts.db, organization.id, {
        chats: { max_agent_active_chats: 100 },
      }),
    ).rejects.toMatchObject({ type: 'validation' });
    await deleteLicenseProperties(accounts.db, organization.id, { chats: ['queue.enabled'] });
    expect((await listLicenseProperties(accounts.db, organization.id, chats)).chats).toEqual({
      ...defaults,
      chat_inactive_after_min: 10,
    });
    // A customer's widget does not read them.
    expect(
      await listLicenseProperties(accounts.db, organization.id, { reader: 'customer' }),
    ).not.toHaveProperty('chats');
  });
});
