import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  type AccountsDatabase,
  accountsSchema,
  createAgent,
  createClient,
  createOrganization,
  migrateAccounts,
} from '@threadline/accounts';
import { createDatabase } from '@threadline/postgres';
import { RtmClient, requestCustomerToken } from '@threadline/sdk';
import {
  createTestDatabase,
  ensureInfrastructure,
  startPlatform,
  uniqueNamespace,
} from '@threadline/testkit';
import { formatSummary } from './stats.ts';

/**
 * Latency of the conversation path on this machine: the whole platform as processes (two replicas of
 * every service, as in production), one agent and one customer over RTM on different gateways.
 * Measures, sequentially (no queueing effects): the agent's send_event round trip (validated,
 * appended to JetStream, projected, answered) and the time until the customer's socket receives the
 * incoming_event push. Usage: pnpm --filter @threadline/bench chat-latency [messages]
 */
const messages = Number(process.argv[2] ?? 500);
const repositoryRoot = join(import.meta.dirname, '../..');

async function main(): Promise<void> {
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
  const agent = await createAgent(accounts, {
    organizationId: organization.id,
    email: 'bench@bench.test',
    name: 'Bench',
    role: 'owner',
  });
  const client = await createClient(accounts, { organizationId: organization.id, name: 'Widget' });
  await accounts.destroy();

  const platform = await startPlatform({
    natsUrl: infrastructure.natsUrl,
    databaseUrl: database.url,
    namespace: uniqueNamespace('bench'),
    replicas: 2,
    logDir: join(repositoryRoot, '.threadline/bench-logs'),
    environment: { LOG_LEVEL: 'warn' },
  });
  try {
    const [gatewayA, gatewayB] = platform.gatewayUrls as [string, string];
    const agentSocket = await RtmClient.connect({ baseUrl: gatewayA, api: 'agent' });
    await agentSocket.request('login', { token: `Basic ${agent.basicCredentials}` });
    await agentSocket.request('set_routing_status', { status: 'accepting_chats' });
    const token = await requestCustomerToken(gatewayB, {
      grantType: 'cookie',
      clientId: client.id,
      organizationId: organization.id,
    });
    const customerSocket = await RtmClient.connect({
      baseUrl: gatewayB,
      api: 'customer',
      organizationId: organization.id,
    });
    await customerSocket.request('login', { token: `Bearer ${token.access_token}` });
    const started = await customerSocket.request('start_chat', {
      chat: { thread: { events: [{ type: 'message', text: 'bench' }] } },
    });
    const chatId = String(started.chat_id);
    await agentSocket.waitForPush(
      'incoming_chat',
      (payload) => (payload.chat as { id: string }).id === chatId,
    );

    const roundTrips: number[] = [];
    const deliveries: number[] = [];
    for (let index = 0; index < messages + 20; index += 1) {
      const text = `message ${index}`;
      const delivered = customerSocket.waitForPush(
        'incoming_event',
        (payload) => (payload.event as { text?: string }).text === text,
      );
      const sentAt = performance.now();
      await agentSocket.request('send_event', {
        chat_id: chatId,
        event: { type: 'message', text },
      });
      const answeredAt = performance.now();
      await delivered;
      const receivedAt = performance.now();
      customerSocket.pushes.length = 0;
      if (index < 20) continue; // warm-up: JIT, connection pools, caches
      roundTrips.push(answeredAt - sentAt);
      deliveries.push(receivedAt - sentAt);
    }
    process.stdout.write(
      `chat latency, ${messages} messages, 2 replicas of each service, ${new Date().toISOString()}\n`,
    );
    process.stdout.write(`${formatSummary('send_event round trip (agent RTM)', roundTrips)}\n`);
    process.stdout.write(
      `${formatSummary('send -> customer incoming_event (other gateway)', deliveries)}\n`,
    );
    await Promise.all([agentSocket.close(), customerSocket.close()]);
  } finally {
    await platform.stop();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
