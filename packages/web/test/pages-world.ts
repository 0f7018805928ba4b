import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AccountsDatabase,
  accountsSchema,
  createAgent,
  createClient,
  createOrganization,
  migrateAccounts,
} from '@threadline/accounts';
import { createDatabase, type Kysely } from '@threadline/postgres';
import {
  createTestDatabase,
  type Platform,
  startPlatform,
  uniqueNamespace,
} from '@threadline/testkit';
import { testInfrastructure } from '@threadline/testkit/testing';
import type { Browser } from 'playwright-core';
import { buildWebPages } from '../build/build-pages.ts';
import { launchChromium } from './chromium.ts';

const repositoryRoot = join(import.meta.dirname, '../../..');

/** Where screenshots go: kept after the run (CI uploads the folder), never committed. */
export const artifactsDir = join(repositoryRoot, '.threadline/artifacts/web');

/** An organization with a widget client and two agents, Ann and Bob (owners). */
export interface Team {
  organizationId: string;
  clientId: string;
  ann: TeamAgent;
  bob: TeamAgent;
}

export interface TeamAgent {
  id: string;
  name: string;
  /** The `Authorization` value, as the console's login takes it. */
  authorization: string;
}

/**
 * The pages freshly built, the whole platform (one replica of each service) serving them on a
 * database and NATS namespace of its own, an organization with a widget client and two agents,
 * and one headless Chromium.
 */
export interface PagesWorld {
  gatewayUrl: string;
  /** A new organization for a test of its own (routing and queues are per organization). */
  createTeam(name: string): Promise<Team>;
  accounts: Kysely<AccountsDatabase>;
  platform: Platform;
  browser: Browser;
  stop(): Promise<void>;
}

export async function startPagesWorld(): Promise<PagesWorld> {
  const infrastructure = testInfrastructure();
  const pagesDir = mkdtempSync(join(tmpdir(), 'threadline-pages-'));
  const [database, browser] = await Promise.all([
    createTestDatabase(infrastructure.databaseUrl, 'tl_web'),
    launchChromium(),
    buildWebPages(pagesDir),
  ]);
  const accounts = createDatabase<AccountsDatabase>({
    url: database.url,
    schema: accountsSchema,
    poolSize: 2,
  });
  await migrateAccounts(accounts);
  const platform = await startPlatform({
    natsUrl: infrastructure.natsUrl,
    databaseUrl: database.url,
    namespace: uniqueNamespace('web'),
    replicas: 1,
    logDir: join(repositoryRoot, '.threadline/test-logs', `web-${Date.now()}`),
    environment: { LOG_LEVEL: 'warn', WEB_PAGES_DIR: pagesDir },
  });
  return {
    gatewayUrl: platform.gatewayUrls[0]!,
    createTeam: (name) => createTeam(accounts, name),
    accounts,
    platform,
    browser,
    async stop() {
      await browser.close();
      await platform.stop();
      await accounts.destroy();
      await database.drop();
      rmSync(pagesDir, { recursive: true, force: true });
    },
  };
}

async function createTeam(accounts: Kysely<AccountsDatabase>, name: string): Promise<Team> {
  const organization = await createOrganization(accounts, { name });
  const client = await createClient(accounts, { organizationId: organization.id, name: 'Widget' });
  const agent = async (agentName: string): Promise<TeamAgent> => {
    const created = await createAgent(accounts, {
      organizationId: organization.id,
      email: `${agentName}@${name}.test`.toLowerCase(),
      name: agentName,
      role: 'owner',
    });
    return {
      id: created.agent.id,
      name: agentName,
      authorization: `Basic ${created.basicCredentials}`,
    };
  };
  const [ann, bob] = [await agent('Ann'), await agent('Bob')];
  return { organizationId: organization.id, clientId: client.id, ann, bob };
}
