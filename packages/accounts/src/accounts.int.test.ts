import { describe, expect, it } from 'vitest';
import { createAgent, createBot } from './agents.ts';
import { authenticate, verifyCredential } from './authenticate.ts';
import { createClient } from './clients.ts';
import {
  createCustomer,
  findCustomer,
  resolveCookieCustomer,
  updateCustomer,
} from './customers.ts';
import { createGroup, listGroups } from './groups.ts';
import { migrateAccounts } from './migrations/index.ts';
import { createOrganization } from './organizations.ts';
import {
  createPersonalAccessToken,
  listPersonalAccessTokens,
  revokePersonalAccessToken,
} from './personal-access-tokens.ts';
import { basicCredentials } from './secrets.ts';
import { useAccountsDatabase } from './test-database.ts';
import { issueAgentToken, issueBotToken, issueCustomerToken, revokeToken } from './tokens.ts';

const accounts = useAccountsDatabase();

describe('migrateAccounts', () => {
  it('can run again on a migrated database', async () => {
    await expect(migrateAccounts(accounts.db)).resolves.toBeUndefined();
  });
});

describe('organizations and groups', () => {
  it('creates every organization with group 0 "General"', async () => {
    const organization = await createOrganization(accounts.db, { name: 'Acme' });
    expect(await listGroups(accounts.db, organization.id)).toMatchObject([
      { id: 0, name: 'General' },
    ]);
    expect(organization.licenseId).toBeGreaterThan(0);
  });

  it('numbers groups per organization, even when created concurrently', async () => {
    const organization = await createOrganization(accounts.db, { name: 'Busy' });
    const groups = await Promise.all(
      ['A', 'B', 'C', 'D'].map((name) =>
        createGroup(accounts.db, { organizationId: organization.id, name }),
      ),
    );
    expect(groups.map((group) => group.id).sort()).toEqual([1, 2, 3, 4]);
    const other = await createOrganization(accounts.db, { name: 'Other' });
    expect((await createGroup(accounts.db, { organizationId: other.id, name: 'Sales' })).id).toBe(
      1,
    );
  });

  it('refuses a group in an organization that does not exist', async () => {
    await expect(
      createGroup(accounts.db, {
        organizationId: '00000000-0000-4000-8000-000000000000',
        name: 'X',
      }),
    ).rejects.toMatchObject({ type: 'not_found' });
    await expect(
      createGroup(accounts.db, { organizationId: 'not-a-uuid', name: 'X' }),
    ).rejects.toMatchObject({ type: 'not_found' });
  });
});

describe('agents and personal access tokens', () => {
  it('authenticates an agent by Basic PAT with its groups, role and chat limit', async () => {
    const organization = await createOrganization(accounts.db, { name: 'Agents Inc' });
    const sales = await createGroup(accounts.db, {
      organizationId: organization.id,
      name: 'Sales',
    });
    const created = await createAgent(accounts.db, {
      organizationId: organization.id,
      email: 'Jane@Example.com',
      name: 'Jane',
      role: 'administrator',
      maxChatsCount: 12,
      groups: [{ id: sales.id, priority: 'first' }],
    });
    expect(created.agent.id).toBe('jane@example.com');
    expect(created.agent.groups).toEqual([
      { id: 0, priority: 'normal' },
      { id: sales.id, priority: 'first' },
    ]);
    const identity = await authenticate(accounts.db, `Basic ${created.basicCredentials}`);
    expect(identity).toMatchObject({
      organizationId: organization.id,
      userId: 'jane@example.com',
      userType: 'agent',
      email: 'jane@example.com',
      name: 'Jane',
      role: 'administrator',
      maxChatsCount: 12,
      groupIds: [0, sales.id],
      credential: 'personal_access_token',
    });
  });

  it('stores only a hash of the PAT and rejects a wrong PAT or a foreign account id', async () => {
    const organization = await createOrganization(accounts.db, { name: 'Hashing' });
    const first = await createAgent(accounts.db, {
      organizationId: organization.id,
      email: 'a@x.test',
      name: 'A',
    });
    const second = await createAgent(accounts.db, {
      organizationId: organization.id,
      email: 'b@x.test',
      name: 'B',
    });
    const stored = await accounts.db.selectFrom('personal_access_tokens').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(first.pat);
    expect(
      await authenticate(
        accounts.db,
        `Basic ${basicCredentials(first.agent.accountId, 'dal:wrong')}`,
      ),
    ).toBeUndefined();
    expect(
      await authenticate(
        accounts.db,
        `Basic ${basicCredentials(second.agent.accountId, first.pat)}`,
      ),
    ).toBeUndefined();
    expect(await authenticate(accounts.db, undefined)).toBeUndefined();
    const rotated = await createPersonalAccessToken(accounts.db, first.agent.accountId);
    expect((await authenticate(accounts.db, `Basic ${rotated.basicCredentials}`))?.userId).toBe(
      'a@x.test',
    );
  });

  it('rejects duplicates, limits over 99, unknown groups and bad e-mails', async () => {
    const organization = await createOrganization(accounts.db, { name: 'Rules' });
    const base = { organizationId: organization.id, name: 'Dup' };
    await createAgent(accounts.db, { ...base, email: 'dup@x.test' });
    await expect(createAgent(accounts.db, { ...base, email: 'DUP@x.test' })).rejects.toMatchObject({
      type: 'already_exists',
    });
    await expect(
      createAgent(accounts.db, { ...base, email: 'c@x.test', maxChatsCount: 100 }),
    ).rejects.toMatchObject({
      type: 'validation',
    });
    await expect(
      createAgent(accounts.db, { ...base, email: 'd@x.test', groups: [7] }),
    ).rejects.toMatchObject({
      type: 'group_not_found',
    });
    await expect(
      createAgent(accounts.db, { ...base, email: 'not-an-email' }),
    ).rejects.toMatchObject({
      type: 'validation',
    });
  });
});

describe('personal access tokens', () => {
  it('lists tokens by id, expires them and revokes one without touching the others', async () => {
    const organization = await createOrganization(accounts.db, { name: 'Pats' });
    const created = await createAgent(accounts.db, {
      organizationId: organization.id,
      email: 'pat@x.test',
      name: 'Pat',
    });
    const { accountId } = created.agent;
    const now = new Date('2030-01-01T00:00:00Z');
    const weekly = await createPersonalAccessToken(accounts.db, accountId, {
      lifetimeSeconds: 7 * 86_400,
      now,
    });
    expect(weekly.expiresAt).toEqual(new Date('2030-01-08T00:00:00Z'));
    expect(await listPersonalAccessTokens(accounts.db, accountId)).toEqual([
      { id: created.patId, accountId, createdAt: expect.any(Date), expiresAt: undefined },
      { id: weekly.id, accountId, createdAt: expect.any(Date), expiresAt: weekly.expiresAt },
    ]);

    const basic = (token: { basicCredentials: string }) => `Basic ${token.basicCredentials}`;
    const justBefore = new Date('2030-01-07T23:59:59Z');
    expect(await authenticate(accounts.db, basic(weekly), justBefore)).toMatchObject({
      userId: 'pat@x.test',
      credential: 'personal_access_token',
      credentialId: weekly.id,
      expiresAt: weekly.expiresAt,
    });
    // Expired: no longer a credential, while the token without an expiry lives on.
    expect(await authenticate(accounts.db, basic(weekly), weekly.expiresAt)).toBeUndefined();
    expect(
      await authenticate(accounts.db, basic(created), new Date('2040-01-01T00:00:00Z')),
    ).toMatchObject({ credentialId: created.patId, expiresAt: undefined });

    // Revoked: refused at once; another account cannot revoke it; a second revocation is a no-op.
    const other = await createAgent(accounts.db, {
      organizationId: organization.id,
      email: 'other@x.test',
      name: 'Other',
    });
    expect(await revokePersonalAccessToken(accounts.db, other.agent.accountId, created.patId)).toBe(
      false,
    );
    expect(await revokePersonalAccessToken(accounts.db, accountId, created.patId)).toBe(true);
    expect(await revokePersonalAccessToken(accounts.db, accountId, created.patId)).toBe(false);
    expect(await authenticate(accounts.db, basic(created))).toBeUndefined();
    expect((await authenticate(accounts.db, basic(weekly), now))?.userId).toBe('pat@x.test');
    expect(await authenticate(accounts.db, basic(other))).toBeDefined();
    expect((await listPersonalAccessTokens(accounts.db, accountId)).map(({ id }) => id)).toEqual([
      weekly.id,
    ]);
  });
});

describe('bearer tokens', () => {
  it('issues customer tokens that carry the requested group and expire after 8 hours', async () => {
    const organization = await createOrganization(accounts.db, { name: 'Tokens' });
    const group = await createGroup(accounts.db, {
      organizationId: organization.id,
      name: 'Support',
    });
    const customer = await createCustomer(accounts.db, {
      organizationId: organization.id,
      name: 'Carl',
    });
    const now = new Date('2030-01-01T00:00:00Z');
    const token = await issueCustomerToken(accounts.db, {
      organizationId: organization.id,
      customerId: customer.id,
      groupId: group.id,
      now,
    });
    expect(token.expiresIn).toBe(28_800);
    expect(token.accessToken).toMatch(/^dal:/);
    const identity = await authenticate(accounts.db, `Bearer ${token.accessToken}`, now);
    expect(identity).toMatchObject({
      userType: 'customer',
      userId: customer.id,
      name: 'Carl',
      groupIds: [group.id],
    });
    const later = new Date(now.getTime() + 28_800_000);
    expect(await authenticate(accounts.db, `Bearer ${token.accessToken}`, later)).toBeUndefined();
    const plain = await issueCustomerToken(accounts.db, {
      organizationId: organization.id,
      customerId: customer.id,
    });
    expect((await authenticate(accounts.db, `Bearer ${plain.accessToken}`))?.groupIds).toEqual([0]);
    // The customer row the check read comes back with the identity (a login need not read it again).
    const verified = await verifyCredential(accounts.db, `Bearer ${plain.accessToken}`);
    expect(verified?.customer).toEqual(customer);
    expect(verified?.identity.userId).toBe(customer.id);
    // Revoked: says whose it was and which sessions it opened; refused from then on.
    expect(await revokeToken(accounts.db, plain.accessToken)).toEqual({
      organizationId: organization.id,
      entityType: 'customer',
      entityId: customer.id,
      credentialId: verified?.identity.credentialId,
    });
    expect(await authenticate(accounts.db, `Bearer ${plain.accessToken}`)).toBeUndefined();
    expect(await revokeToken(accounts.db, plain.accessToken)).toBeUndefined();
  });

  it('issues bot tokens only against the right secret', async () => {
    const organization = await createOrganization(accounts.db, { name: 'Bots' });
    const client = await createClient(accounts.db, {
      organizationId: organization.id,
      name: 'App',
      kind: 'server',
    });
    const { bot, secret } = await createBot(accounts.db, {
      organizationId: organization.id,
      name: 'Robo',
      ownerClientId: client.id,
    });
    expect(bot.id).toMatch(/^[0-9a-f]{32}$/);
    await expect(
      issueBotToken(accounts.db, {
        organizationId: organization.id,
        botId: bot.id,
        secret: 'dal:nope',
      }),
    ).rejects.toMatchObject({ type: 'authorization' });
    const token = await issueBotToken(accounts.db, {
      organizationId: organization.id,
      botId: bot.id,
      secret,
    });
    expect(await authenticate(accounts.db, `Bearer ${token.accessToken}`)).toMatchObject({
      userType: 'bot',
      userId: bot.id,
      clientId: client.id,
      groupIds: [0],
      scopes: ['chats--access:rw', 'agents-bot--my:rw', 'customers:rw'],
    });
  });

  it('issues agent bearer tokens for clients that cannot send Basic credentials', async () => {
    const organization = await createOrganization(accounts.db, { name: 'Oauth' });
    const { agent } = await createAgent(accounts.db, {
      organizationId: organization.id,
      email: 'o@x.test',
      name: 'O',
    });
    const token = await issueAgentToken(accounts.db, {
      organizationId: organization.id,
      agentId: agent.id,
    });
    expect(await authenticate(accounts.db, `Bearer ${token.accessToken}`)).toMatchObject({
      userType: 'agent',
      userId: 'o@x.test',
      credential: 'bearer',
    });
    expect(
      (await verifyCredential(accounts.db, `Bearer ${token.accessToken}`))?.customer,
    ).toBeUndefined();
    // Issued without scopes, the token has every scope of the agent (like a PAT).
    expect(
      (await authenticate(accounts.db, `Bearer ${token.accessToken}`))?.scopes,
    ).toBeUndefined();
    const limited = await issueAgentToken(accounts.db, {
      organizationId: organization.id,
      agentId: agent.id,
      scopes: ['chats--access:ro', 'customers:ro'],
    });
    expect((await authenticate(accounts.db, `Bearer ${limited.accessToken}`))?.scopes).toEqual([
      'chats--access:ro',
      'customers:ro',
    ]);
    await expect(
      issueAgentToken(accounts.db, { organizationId: organization.id, agentId: 'ghost@x.test' }),
    ).rejects.toMatchObject({ type: 'not_found' });
  });
});

describe('customers', () => {
  it('keeps a browser on the same customer while its cookie pair is genuine', async () => {
    const organization = await createOrganization(accounts.db, { name: 'Cookies' });
    const first = await resolveCookieCustomer(accounts.db, organization.id, undefined);
    expect(first.created).toBe(true);
    const again = await resolveCookieCustomer(accounts.db, organization.id, {
      customerId: first.customer.id,
      secret: first.secret,
    });
    expect(again).toMatchObject({ created: false, secret: first.secret });
    expect(again.customer.id).toBe(first.customer.id);
    const forged = await resolveCookieCustomer(accounts.db, organization.id, {
      customerId: first.customer.id,
      secret: 'dal:guess',
    });
    expect(forged.created).toBe(true);
    expect(forged.customer.id).not.toBe(first.customer.id);
  });

  it('updates only the fields given', async () => {
    const organization = await createOrganization(accounts.db, { name: 'Updates' });
    const customer = await createCustomer(accounts.db, {
      organizationId: organization.id,
      name: 'Ann',
      email: 'ann@x.test',
    });
    await updateCustomer(accounts.db, organization.id, customer.id, {
      sessionFields: [{ plan: 'gold' }],
    });
    const stored = await findCustomer(accounts.db, organization.id, customer.id);
    expect(stored).toMatchObject({
      name: 'Ann',
      email: 'ann@x.test',
      sessionFields: [{ plan: 'gold' }],
    });
    const other = await createOrganization(accounts.db, { name: 'Elsewhere' });
    expect(await findCustomer(accounts.db, other.id, customer.id)).toBeUndefined();
  });
});
