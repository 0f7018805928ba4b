import { join } from 'node:path';
import {
  type AccountsDatabase,
  accountsSchema,
  createAgent,
  createBot,
  createClient,
  createCustomer,
  createOrganization,
  issueAgentToken,
  issueCustomerToken,
  migrateAccounts,
} from '@threadline/accounts';
import { createDatabase, type Kysely } from '@threadline/postgres';
import {
  createTestDatabase,
  type Platform,
  startPlatform,
  type TestDatabase,
  uniqueNamespace,
} from '@threadline/testkit';

const repositoryRoot = join(import.meta.dirname, '../../..');

/** A running platform with one organization the SDKs act in. */
export interface ConformancePlatform {
  /** Where every LiveChat host is redirected to. */
  gatewayUrl: URL;
  organizationId: string;
  agent: {
    id: string;
    /** `base64(account_id:PAT)`, as chat-sdk's `personal_access_token` wants it. */
    basicCredentials: string;
    /** A bearer token (lc-sdk-js's Web API speaks only Bearer). */
    accessToken: string;
  };
  /** A second agent, for adding, transferring and multicasting. */
  otherAgent: { id: string };
  bot: { id: string };
  /** The widget's OAuth client, for customer tokens. */
  customerClientId: string;
  db: Kysely<AccountsDatabase>;
  platform: Platform;
  /** A new customer of the organization with a bearer token (as the token endpoint issues). */
  newCustomer(name: string): Promise<{ id: string; accessToken: string }>;
  stop(): Promise<void>;
}

/**
 * Every service once (one replica each: the suites test the protocol, the e2e suite tests
 * replicas), on a database and NATS namespace of their own, with an organization, an owner agent,
 * a bot and a widget client seeded directly in the accounts schema.
 */
export async function startConformancePlatform(
  infrastructure: { natsUrl: string; databaseUrl: string },
  suite: string,
): Promise<ConformancePlatform> {
  const database: TestDatabase = await createTestDatabase(infrastructure.databaseUrl, 'tl_sdk');
  const db = createDatabase<AccountsDatabase>({ url: database.url, schema: accountsSchema });
  await migrateAccounts(db);
  const organization = await createOrganization(db, { name: `SDK ${suite}` });
  const agent = await createAgent(db, {
    organizationId: organization.id,
    email: `agent@${suite}.sdk.test`,
    name: 'Ada Agent',
    role: 'owner',
  });
  const otherAgent = await createAgent(db, {
    organizationId: organization.id,
    email: `other@${suite}.sdk.test`,
    name: 'Otto Other',
  });
  const client = await createClient(db, { organizationId: organization.id, name: 'Widget' });
  const bot = await createBot(db, { organizationId: organization.id, name: 'Bolt' });
  const token = await issueAgentToken(db, {
    organizationId: organization.id,
    agentId: agent.agent.id,
    clientId: client.id,
  });
  const platform = await startPlatform({
    natsUrl: infrastructure.natsUrl,
    databaseUrl: database.url,
    namespace: uniqueNamespace('sdk'),
    replicas: 1,
    logDir: join(repositoryRoot, '.threadline/test-logs', `sdk-${suite}-${Date.now()}`),
  });
  return {
    gatewayUrl: new URL(platform.gatewayUrls[0]!),
    organizationId: organization.id,
    agent: {
      id: agent.agent.id,
      basicCredentials: agent.basicCredentials,
      accessToken: token.accessToken,
    },
    otherAgent: { id: otherAgent.agent.id },
    bot: { id: bot.bot.id },
    customerClientId: client.id,
    db,
    platform,
    async newCustomer(name) {
      const customer = await createCustomer(db, { organizationId: organization.id, name });
      const token = await issueCustomerToken(db, {
        organizationId: organization.id,
        customerId: customer.id,
        clientId: client.id,
      });
      return { id: customer.id, accessToken: token.accessToken };
    },
    async stop() {
      await platform.stop();
      await db.destroy();
      await database.drop();
    },
  };
}
