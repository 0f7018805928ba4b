import {
  type AccountsDatabase,
  createAgent,
  createClient,
  createOrganization,
  createPersonalAccessToken,
  findAgent,
  findOrganizationByName,
  listClients,
  migrateAccounts,
} from '@threadline/accounts';
import { type Kysely, sql } from '@threadline/postgres';
import type { Command } from './command.ts';

export const demoOrganizationName = 'Demo';
export const demoAgentEmail = 'agent@demo.threadline.test';

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
}

/** Any constant works: it only has to keep two seeders from running at the same time. */
const seedLockKey = 7_482_001;

/**
 * The demo organization for `threadline up`: organization "Demo" (with group 0), an owner agent
 * `agent@demo.threadline.test` with a fresh PAT, and a customer widget client. Idempotent: a second
 * run reuses all of it and only mints a new PAT. Runs the accounts migrations first.
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
  const existing = await findAgent(db, organization.id, demoAgentEmail);
  let agent: DemoAccounts['agent'];
  if (existing) {
    const { pat, basicCredentials } = await createPersonalAccessToken(db, existing.accountId);
    agent = { id: existing.id, accountId: existing.accountId, pat, basicAuth: basicCredentials };
  } else {
    const created = await createAgent(db, {
      organizationId: organization.id,
      email: demoAgentEmail,
      name: 'Demo Agent',
      role: 'owner',
    });
    agent = {
      id: created.agent.id,
      accountId: created.agent.accountId,
      pat: created.pat,
      basicAuth: created.basicCredentials,
    };
  }
  const clients = await listClients(db, organization.id);
  const widget =
    clients.find((client) => client.kind === 'customer_widget') ??
    (await createClient(db, { organizationId: organization.id, name: 'Demo widget' }));
  return { organizationId: organization.id, agent, customerClientId: widget.id };
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
    };
  },
};
