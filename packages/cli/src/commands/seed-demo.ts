import {
  type AccountsDatabase,
  createAgent,
  createClient,
  createGroup,
  createOrganization,
  createPersonalAccessToken,
  findAgent,
  findOrganizationByName,
  listClients,
  listGroups,
  migrateAccounts,
  updateAgent,
} from '@threadline/accounts';
import { type Kysely, sql } from '@threadline/postgres';
import type { Command } from './command.ts';

export const demoOrganizationName = 'Demo';
export const demoAgentEmail = 'agent@demo.threadline.test';
const supportGroupName = 'Support';
const botClientName = 'Demo bot';

export interface DemoAccounts {
  organizationId: string;
  agent: {
    id: string;
    accountId: string;
    /** A fresh personal access token, minted on every run (only hashes are stored). */
    pat: string;
    /** `base64(account_id:pat)`: send it as `Authorization: Basic <basicAuth>`. */
    basicAuth: string;
  };
  /** A `customer_widget` client, for `POST /v2/customer/token`. */
  customerClientId: string;
  /** The group "Support", where the demo agent is: the demo bot hands chats over to it. */
  supportGroupId: number;
  /** A `server` client owning the demo bot (examples/bot-agent) and its webhooks. */
  botClientId: string;
}

/** Any constant works: it only has to keep two seeders from running at the same time. */
const seedLockKey = 7_482_001;

/**
 * The demo organization for `threadline up`: organization "Demo" (with group 0 and "Support"), an
 * owner agent `agent@demo.threadline.test` in both with a fresh PAT, a customer widget client and
 * the demo bot's server client. Idempotent: a second run reuses all of it and only mints a new PAT.
 * Runs the accounts migrations first.
 */
export async function seedDemo(db: Kysely<AccountsDatabase>): Promise<DemoAccounts> {
  await migrateAccounts(db);
  return db.connection().execute(async (connection) => {
    await sql`SELECT pg_advisory_lock(${seedLockKey})`.execute(connection);
    try {
      return await seedUnlocked(connection);
    } finally {
      await sql`SELECT pg_advisory_unlock(${seedLockKey})`.execute(connection);
    }
  });
}

async function seedUnlocked(db: Kysely<AccountsDatabase>): Promise<DemoAccounts> {
  const organization =
    (await findOrganizationByName(db, demoOrganizationName)) ??
    (await createOrganization(db, { name: demoOrganizationName }));
  const groups = await listGroups(db, organization.id);
  const support =
    groups.find((group) => group.name === supportGroupName) ??
    (await createGroup(db, { organizationId: organization.id, name: supportGroupName }));
  const agent = await demoAgent(db, organization.id, support.id);
  const clients = await listClients(db, organization.id);
  const widget =
    clients.find((client) => client.kind === 'customer_widget') ??
    (await createClient(db, { organizationId: organization.id, name: 'Demo widget' }));
  const botClient =
    clients.find((client) => client.name === botClientName) ??
    (await createClient(db, {
      organizationId: organization.id,
      name: botClientName,
      kind: 'server',
    }));
  return {
    organizationId: organization.id,
    agent,
    customerClientId: widget.id,
    supportGroupId: support.id,
    botClientId: botClient.id,
  };
}

async function demoAgent(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  supportGroupId: number,
): Promise<DemoAccounts['agent']> {
  const existing = await findAgent(db, organizationId, demoAgentEmail);
  if (existing) {
    // Organizations seeded before the Support group existed get the agent added to it.
    if (!existing.groups.some((group) => group.id === supportGroupId)) {
      await updateAgent(
        db,
        organizationId,
        { id: existing.id, type: 'agent' },
        {
          groups: [...existing.groups, supportGroupId],
        },
      );
    }
    const { pat, basicCredentials } = await createPersonalAccessToken(db, existing.accountId);
    return { id: existing.id, accountId: existing.accountId, pat, basicAuth: basicCredentials };
  }
  const created = await createAgent(db, {
    organizationId,
    email: demoAgentEmail,
    name: 'Demo Agent',
    role: 'owner',
    groups: [0, supportGroupId],
  });
  return {
    id: created.agent.id,
    accountId: created.agent.accountId,
    pat: created.pat,
    basicAuth: created.basicCredentials,
  };
}

export const seedDemoCommand: Command = {
  name: 'seed-demo',
  usage: 'seed-demo',
  options: {},
  async run(db) {
    const demo = await seedDemo(db);
    return {
      organization_id: demo.organizationId,
      agent: {
        id: demo.agent.id,
        account_id: demo.agent.accountId,
        pat: demo.agent.pat,
        basic_auth: demo.agent.basicAuth,
      },
      customer_client_id: demo.customerClientId,
      support_group_id: demo.supportGroupId,
      bot_client_id: demo.botClientId,
    };
  },
};
