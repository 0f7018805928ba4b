import { join } from 'node:path';
import {
  type AccountsDatabase,
  accountsSchema,
  type CreatedAgent,
  createAgent,
  createClient,
  createGroup,
  createOrganization,
  migrateAccounts,
} from '@threadline/accounts';
import { createDatabase } from '@threadline/postgres';
import { RtmClient, requestCustomerToken } from '@threadline/sdk';
import {
  createTestDatabase,
  ensureInfrastructure,
  type Platform,
  startPlatform,
  uniqueNamespace,
} from '@threadline/testkit';

const repositoryRoot = join(import.meta.dirname, '../..');

export interface BenchPlatform {
  platform: Platform;
  /** The bench's own database (dropped by `stop`). */
  databaseUrl: string;
  organizationId: string;
  clientId: string;
  agents: CreatedAgent[];
  stop(): Promise<void>;
}

/**
 * The whole platform as processes, two replicas of every service as in production, on a database
 * and namespace of its own, with one organization, its widget client and `agents` owners.
 */
export async function startBenchPlatform(options: {
  agents: number;
  maxChatsCount?: number;
  /** The agents' groups (besides group 0, which every agent is in); groups 1…max are created. */
  groups?: number[];
  /** Added to every service's environment. */
  environment?: Record<string, string>;
  /** Replicas of every service (two, as in production, when absent). */
  replicas?: number;
}): Promise<BenchPlatform> {
  const infrastructure = await ensureInfrastructure({
    dataDir: join(repositoryRoot, '.threadline'),
  });
  const database = await createTestDatabase(infrastructure.databaseUrl, 'tl_bench');
  const accounts = createDatabase<AccountsDatabase>({
    url: database.url,
    schema: accountsSchema,
    poolSize: 1,
  });
  await migrateAccounts(accounts);
  const organization = await createOrganization(accounts, { name: 'Bench' });
  for (let next = 1; next <= Math.max(0, ...(options.groups ?? [])); next += 1) {
    await createGroup(accounts, { organizationId: organization.id, name: `Group ${next}` });
  }
  const agents: CreatedAgent[] = [];
  for (let index = 0; index < options.agents; index += 1) {
    agents.push(
      await createAgent(accounts, {
        organizationId: organization.id,
        email: `bench-${index}@bench.test`,
        name: `Bench ${index}`,
        role: 'owner',
        ...(options.maxChatsCount ? { maxChatsCount: options.maxChatsCount } : {}),
        ...(options.groups ? { groups: options.groups } : {}),
      }),
    );
  }
  const client = await createClient(accounts, { organizationId: organization.id, name: 'Widget' });
  await accounts.destroy();

  const platform = await startPlatform({
    natsUrl: infrastructure.natsUrl,
    databaseUrl: database.url,
    namespace: uniqueNamespace('bench'),
    replicas: options.replicas ?? 2,
    logDir: join(repositoryRoot, '.threadline/bench-logs'),
    environment: { LOG_LEVEL: 'warn', ...options.environment },
  });
  return {
    platform,
    databaseUrl: database.url,
    organizationId: organization.id,
    clientId: client.id,
    agents,
    async stop() {
      await platform.stop();
      await database.drop();
    },
  };
}

/** An agent logged in over RTM and accepting chats. */
export async function connectAgent(baseUrl: string, agent: CreatedAgent): Promise<RtmClient> {
  const socket = await RtmClient.connect({ baseUrl, api: 'agent' });
  await socket.request('login', { token: `Basic ${agent.basicCredentials}` });
  await socket.request('set_routing_status', { status: 'accepting_chats' });
  return socket;
}

/** A new customer (a cookie grant without cookies) logged in over RTM. */
export async function connectCustomer(baseUrl: string, bench: BenchPlatform): Promise<RtmClient> {
  const token = await requestCustomerToken(baseUrl, {
    grantType: 'cookie',
    clientId: bench.clientId,
    organizationId: bench.organizationId,
  });
  const socket = await RtmClient.connect({
    baseUrl,
    api: 'customer',
    organizationId: bench.organizationId,
  });
  await socket.request('login', { token: `Bearer ${token.access_token}` });
  return socket;
}
