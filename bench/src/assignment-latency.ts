import { performance } from 'node:perf_hooks';
import type { RtmClient } from '@threadline/sdk';
import { connectAgent, connectCustomer, startBenchPlatform } from './bench-platform.ts';
import { formatSummary } from './stats.ts';

/**
 * Assignment latency on this machine: a customer's start_chat accepted (the reply arrived) until
 * the routed agent's socket receives `incoming_chat`. The path is chat-store's append, the
 * router's durable consumer, its decision under the organization's lock, `assign_agent` back to
 * chat-store and the push through the other gateway. Whole platform as processes, two replicas
 * of every service; customers on one gateway, agents on the other; `concurrency` customers start
 * chats at once (1: no queueing effects). Agents have room for every chat, so none waits.
 * Usage: pnpm --filter @threadline/bench assignment-latency [chats] [concurrency]
 */
const chats = Number(process.argv[2] ?? 300);
const concurrency = Number(process.argv[3] ?? 1);
const warmUp = 20;
const chatsPerAgent = 50;

async function main(): Promise<void> {
  const bench = await startBenchPlatform({
    agents: Math.ceil((chats + warmUp) / chatsPerAgent),
    maxChatsCount: chatsPerAgent,
  });
  const sockets: RtmClient[] = [];
  try {
    const [gatewayA, gatewayB] = bench.platform.gatewayUrls as [string, string];
    const arrivals = new Map<string, number>();
    const waiters = new Map<string, () => void>();
    for (const agent of bench.agents) {
      const socket = await connectAgent(gatewayA, agent);
      sockets.push(socket);
      socket.onPush((push) => {
        if (push.action !== 'incoming_chat') return;
        const chatId = (push.payload as { chat: { id: string } }).chat.id;
        arrivals.set(chatId, performance.now());
        waiters.get(chatId)?.();
      });
    }
    const arrivalOf = (chatId: string) =>
      new Promise<number>((resolve) => {
        const done = () => resolve(arrivals.get(chatId)!);
        if (arrivals.has(chatId)) done();
        else waiters.set(chatId, done);
      });
    const customers: RtmClient[] = [];
    for (let index = 0; index < chats + warmUp; index += 1) {
      customers.push(await connectCustomer(gatewayB, bench));
    }
    sockets.push(...customers);

    const fromAccepted: number[] = [];
    const fromSent: number[] = [];
    const measure = async (customer: RtmClient, index: number) => {
      const sentAt = performance.now();
      const started = await customer.request('start_chat', {
        chat: { thread: { events: [{ type: 'message', text: 'Hello' }] } },
      });
      const acceptedAt = performance.now();
      const arrivedAt = await arrivalOf(String(started.chat_id));
      if (index < warmUp) return; // JIT, connection pools, caches
      fromAccepted.push(arrivedAt - acceptedAt);
      fromSent.push(arrivedAt - sentAt);
    };
    for (let index = 0; index < warmUp; index += 1) await measure(customers[index]!, index);
    let next = warmUp;
    const worker = async () => {
      while (next < customers.length) {
        const index = next++;
        await measure(customers[index]!, index);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));

    process.stdout.write(
      `assignment latency, ${chats} chats, concurrency ${concurrency}, ${bench.agents.length} agents, ` +
        `2 replicas of each service, ${new Date().toISOString()}\n`,
    );
    process.stdout.write(
      `${formatSummary('start_chat accepted -> agent incoming_chat', fromAccepted)}\n`,
    );
    process.stdout.write(`${formatSummary('start_chat sent -> agent incoming_chat', fromSent)}\n`);
  } finally {
    await Promise.all(sockets.map((socket) => socket.close().catch(() => undefined)));
    await bench.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
