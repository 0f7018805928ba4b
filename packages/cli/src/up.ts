import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AccountsDatabase, accountsSchema } from '@threadline/accounts';
import { createDatabase } from '@threadline/postgres';
import { ensureInfrastructure, startPlatform } from '@threadline/testkit';
import { buildWebPages } from '@threadline/web/build';
import pg from 'pg';
import { type DemoAccounts, seedDemo } from './commands/seed-demo.ts';
import { startDemoBot } from './demo-bot.ts';

/**
 * `./threadline up`: NATS and Postgres (found or started), every service, a demo organization, and
 * how to reach it all, printed and written to .threadline/demo.json. Runs until Ctrl-C.
 */
const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const stateDir = join(repositoryRoot, '.threadline');
const port = Number(process.env.THREADLINE_PORT ?? 8080);

async function main(): Promise<void> {
  mkdirSync(stateDir, { recursive: true });
  const infrastructure = await ensureInfrastructure({ dataDir: stateDir });
  const databaseUrl =
    process.env.DATABASE_URL ?? (await ensureDatabase(infrastructure.databaseUrl, 'threadline'));
  const accounts = createDatabase<AccountsDatabase>({
    url: databaseUrl,
    schema: accountsSchema,
    poolSize: 1,
  });
  const demo = await seedDemo(accounts).finally(() => accounts.destroy());

  const pagesDir = await buildWebPages();
  const platform = await startPlatform({
    natsUrl: infrastructure.natsUrl,
    databaseUrl,
    namespace: process.env.THREADLINE_NAMESPACE ?? 'tl',
    replicas: Number(process.env.THREADLINE_REPLICAS ?? 1),
    gatewayPorts: [port],
    logDir: join(stateDir, 'logs'),
    environment: { WEB_PAGES_DIR: pagesDir },
  });
  const gatewayUrl = platform.gatewayUrls[0]!;
  const pages = webPageUrls(gatewayUrl, demo);
  const bot = await startDemoBot({
    demo,
    gatewayUrl,
    repositoryRoot,
    logDir: join(stateDir, 'logs'),
  });
  const summary = {
    gateway_url: gatewayUrl,
    organization_id: demo.organizationId,
    agent: { ...demo.agent, authorization: `Basic ${demo.agent.basicAuth}` },
    customer_client_id: demo.customerClientId,
    ...pages,
    nats_url: infrastructure.natsUrl,
    database_url: databaseUrl,
    logs: join(stateDir, 'logs'),
  };
  writeFileSync(join(stateDir, 'demo.json'), `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(
    [
      'Threadline is running.',
      '',
      `  Gateway (Web API + RTM)  ${gatewayUrl}`,
      `  Organization id          ${demo.organizationId}`,
      `  Agent                    ${demo.agent.id}`,
      `  Agent PAT                ${demo.agent.pat}`,
      `  Agent Authorization      Basic ${demo.agent.basicAuth}`,
      `  Customer client id       ${demo.customerClientId}`,
      `  Customer chat widget     ${pages.widget_url}`,
      `  Agent console            ${pages.console_url}`,
      `  Bot agent                ${bot.summary}`,
      '',
      `Written to ${join(stateDir, 'demo.json')}; service logs in ${summary.logs}.`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('Stopping…\n');
    await bot.process?.stop();
    await platform.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

/**
 * The reference pages, ready to use: the widget knows the demo organization and client, the
 * console logs the demo agent in (the token rides in the fragment, which no server sees).
 */
function webPageUrls(gatewayUrl: string, demo: DemoAccounts) {
  const widget = new URL('/widget/', gatewayUrl);
  widget.searchParams.set('organization_id', demo.organizationId);
  widget.searchParams.set('client_id', demo.customerClientId);
  const agentConsole = new URL('/console/', gatewayUrl);
  agentConsole.hash = new URLSearchParams({
    authorization: `Basic ${demo.agent.basicAuth}`,
  }).toString();
  return { widget_url: widget.toString(), console_url: agentConsole.toString() };
}

/** The platform's own database on the local server, created on first use. */
async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

main().catch((error: unknown) => {
  process.stderr.write(
    `threadline up: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
