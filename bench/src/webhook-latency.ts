import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RtmClient } from '@threadline/sdk';
import { connectCustomer, startBenchPlatform } from './bench-platform.ts';
import { runCommand } from './cli.ts';
import { formatSummary } from './stats.ts';

/**
 * Event → webhook latency at a sustained rate: customers on both gateways send messages on a fixed
 * schedule (open loop: a slow answer does not slow the sender down), and a local receiver
 * registered for `incoming_event` notes when each webhook's POST arrives. The latency is from the
 * moment the customer sent `send_event` to the POST: gateway, chat-store, JetStream, the webhook
 * service's fan-out, outbox and delivery. Usage:
 * pnpm --filter @threadline/bench webhook-latency [events per second] [seconds] [chats]
 */
export interface WebhookLatency {
  latencies: number[];
  /** Requests the platform refused, by error type. */
  refused: Record<string, number>;
  /** Accepted events whose webhook had not arrived 30 s after the last send. */
  missing: number;
}

export async function measureWebhookLatency(options: {
  rate: number;
  seconds: number;
  chats: number;
}): Promise<WebhookLatency> {
  const { rate, seconds, chats } = options;
  const warmUp = rate; // the first second: JIT, connection pools, caches
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  // By index: a send can fail at the client (its answer timed out) after its webhook arrived.
  const received = new Set<number>();
  const failed = new Set<number>();
  const receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const arrivedAt = performance.now();
      response.writeHead(200).end();
      const envelope = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        payload: { event?: { text?: string } };
      };
      const index = Number(/^bench (\d+)$/.exec(envelope.payload.event?.text ?? '')?.[1]);
      const sent = sentAt.get(index);
      if (sent === undefined || received.has(index)) return; // a redelivery is not a second sample
      received.add(index);
      if (index >= warmUp) latencies.push(arrivedAt - sent);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address();
  const receiverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;

  const bench = await startBenchPlatform({
    agents: 1,
    // The receiver is on loopback, which the webhook service refuses unless allowed.
    environment: { WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8,::1/128' },
  });
  const sockets: RtmClient[] = [];
  try {
    const gateways = bench.platform.gatewayUrls;
    const owner = `Basic ${bench.agents[0]!.basicCredentials}`;
    const configure = async (action: string, payload: Record<string, unknown>) => {
      const response = await fetch(`${gateways[0]}/v3.6/configuration/action/${action}`, {
        method: 'POST',
        headers: { authorization: owner, 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
      if (!response.ok) throw new Error(`${action}: ${response.status} ${await response.text()}`);
    };
    await configure('register_webhook', {
      action: 'incoming_event',
      secret_key: 'bench-secret',
      url: receiverUrl,
      owner_client_id: bench.clientId,
      type: 'license',
    });
    await configure('enable_license_webhooks', { owner_client_id: bench.clientId });

    const conversations: { socket: RtmClient; chatId: string }[] = [];
    for (let index = 0; index < chats; index += 1) {
      const socket = await connectCustomer(gateways[index % gateways.length]!, bench);
      sockets.push(socket);
      const started = await socket.request('start_chat', {
        chat: { thread: { events: [{ type: 'message', text: 'hello' }] } },
      });
      conversations.push({ socket, chatId: String(started.chat_id) });
    }

    const total = rate * seconds;
    const intervalMs = 1000 / rate;
    const sends: Promise<unknown>[] = [];
    // Past what the machine sustains, requests queue up until the gateway refuses them
    // (pending_requests_limit_reached): counted and reported, not a crash.
    const refused = new Map<string, number>();
    const start = performance.now();
    for (let index = 0; index < total; index += 1) {
      const due = start + index * intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const { socket, chatId } = conversations[index % conversations.length]!;
      sentAt.set(index, performance.now());
      sends.push(
        socket
          .request('send_event', {
            chat_id: chatId,
            event: { type: 'message', text: `bench ${index}` },
          })
          .catch((error: unknown) => {
            failed.add(index);
            const type = (error as { type?: string }).type ?? String(error);
            refused.set(type, (refused.get(type) ?? 0) + 1);
          }),
      );
    }
    await Promise.all(sends);
    const deadline = performance.now() + 30_000;
    const missing = () => {
      let count = 0;
      for (let index = 0; index < total; index += 1) {
        if (!received.has(index) && !failed.has(index)) count += 1;
      }
      return count;
    };
    while (missing() > 0 && performance.now() < deadline) await sleep(50);

    return { latencies, refused: Object.fromEntries(refused), missing: missing() };
  } finally {
    await Promise.all(sockets.map((socket) => socket.close()));
    await bench.stop();
    receiver.closeAllConnections();
    receiver.close();
  }
}

async function main(): Promise<void> {
  const rate = Number(process.argv[2] ?? 50);
  const seconds = Number(process.argv[3] ?? 20);
  const chats = Number(process.argv[4] ?? 10);
  const { latencies, refused, missing } = await measureWebhookLatency({ rate, seconds, chats });
  process.stdout.write(
    `webhook latency, ${rate} events/s for ${seconds} s over ${chats} chats, 2 replicas of each service, ${new Date().toISOString()}\n`,
  );
  process.stdout.write(`${formatSummary('customer send_event -> webhook POST', latencies)}\n`);
  for (const [type, count] of Object.entries(refused)) {
    process.stdout.write(`refused: ${count} × ${type}\n`);
  }
  if (missing > 0) process.stdout.write(`missing: ${missing} webhooks\n`);
}

if (import.meta.main) runCommand(main);
