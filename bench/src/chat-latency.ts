import { performance } from 'node:perf_hooks';
import { connectAgent, connectCustomer, startBenchPlatform } from './bench-platform.ts';
import { runCommand } from './cli.ts';
import { counterTotal } from './service-metrics.ts';
import { formatSummary } from './stats.ts';

/**
 * Latency of the conversation path on this machine: the whole platform as processes (two replicas of
 * every service, as in production), one agent and one customer over RTM on different gateways.
 * Measures, sequentially (no queueing effects): the agent's send_event round trip (validated,
 * appended to JetStream, projected, answered) and the time until the customer's socket receives the
 * incoming_event push, and how many commands chat-store decided twice (an append refused because
 * the replica's cached aggregate was stale). Usage: pnpm --filter @threadline/bench chat-latency [messages]
 */
export async function measureChatLatency(
  messages: number,
): Promise<{ roundTrips: number[]; deliveries: number[]; appendConflicts: number }> {
  const bench = await startBenchPlatform({ agents: 1 });
  const { platform } = bench;
  try {
    const [gatewayA, gatewayB] = platform.gatewayUrls as [string, string];
    const agentSocket = await connectAgent(gatewayA, bench.agents[0]!);
    const customerSocket = await connectCustomer(gatewayB, bench);
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
    await Promise.all([agentSocket.close(), customerSocket.close()]);
    const appendConflicts = await counterTotal(
      platform,
      'chat-store',
      'chat_store_append_conflicts_total',
    );
    return { roundTrips, deliveries, appendConflicts };
  } finally {
    await bench.stop();
  }
}

async function main(): Promise<void> {
  const messages = Number(process.argv[2] ?? 500);
  const { roundTrips, deliveries, appendConflicts } = await measureChatLatency(messages);
  process.stdout.write(
    `chat latency, ${messages} messages, 2 replicas of each service, ${new Date().toISOString()}\n`,
  );
  process.stdout.write(`${formatSummary('send_event round trip (agent RTM)', roundTrips)}\n`);
  process.stdout.write(
    `${formatSummary('send -> customer incoming_event (other gateway)', deliveries)}\n`,
  );
  process.stdout.write(
    `chat-store append conflicts (commands decided twice): ${appendConflicts} of ${messages + 21} commands\n`,
  );
}

if (import.meta.main) runCommand(main);
