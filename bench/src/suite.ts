import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { ensureInfrastructure } from '@threadline/testkit';
import { measureChatLatency } from './chat-latency.ts';
import { runCommand } from './cli.ts';
import { measureConnections } from './connections.ts';
import { measureProjectionRebuild } from './projection-rebuild.ts';
import { summarize } from './stats.ts';
import { measureJetStreamPublish } from './substrate/jetstream-publish.ts';
import { measureLoopbackMessages } from './substrate/loopback-messages.ts';
import { measurePostgresInsert } from './substrate/postgres-insert.ts';
import { measureWsJetStreamRoundTrip } from './substrate/ws-jetstream-round-trip.ts';
import { renderReport, type SuiteResults } from './suite-report.ts';
import { measureThroughput } from './throughput.ts';
import { measureWebhookLatency } from './webhook-latency.ts';

/**
 * The benchmark suite: the bare substrate first (websocket → JetStream → websocket, windowed
 * JetStream publish, batched Postgres insert), then Threadline's scenarios that fit in minutes, in
 * the same run so the ratios hold on any machine. Writes `results/<time>.json` and `.md`.
 * Usage: pnpm --filter @threadline/bench suite [--quick]
 */
const sizes = {
  full: {
    roundTrips: 500,
    loopbackRoundTrips: 20_000,
    publish: { messages: 200_000, seconds: 10 },
    insert: { rows: 500_000, seconds: 10 },
    chatMessages: 500,
    webhooks: { rate: 50, seconds: 20, chats: 10 },
    rebuild: { batches: 5_000, runs: 2 },
    throughput: { chats: 50, stepSeconds: 5, search: { startRate: 20, factor: 1.5, maxSteps: 7 } },
    connections: { steps: [1_000, 5_000, 15_000] },
  },
  quick: {
    roundTrips: 200,
    loopbackRoundTrips: 5_000,
    publish: { messages: 50_000, seconds: 5 },
    insert: { rows: 100_000, seconds: 5 },
    chatMessages: 200,
    webhooks: { rate: 50, seconds: 10, chats: 10 },
    rebuild: { batches: 1_000, runs: 1 },
    throughput: { chats: 10, stepSeconds: 2, search: { startRate: 25, factor: 2, maxSteps: 5 } },
    connections: { steps: [500, 1_000, 2_000] },
  },
};

const repositoryRoot = join(import.meta.dirname, '../..');

function log(line: string): void {
  process.stderr.write(`[suite ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const size = quick ? sizes.quick : sizes.full;
  const startedAt = new Date();
  const loadBefore = loadavg();
  const { natsUrl, databaseUrl } = await ensureInfrastructure({
    dataDir: join(repositoryRoot, '.threadline'),
  });

  log('substrate: websocket → JetStream → core subscription → websocket');
  const roundTrip = summarize(
    await measureWsJetStreamRoundTrip({ natsUrl, messages: size.roundTrips }),
  );
  log('substrate: windowed JetStream publish');
  const publish = await measureJetStreamPublish({ natsUrl, ...size.publish });
  log('substrate: batched Postgres insert');
  const insert = await measurePostgresInsert({ databaseUrl, ...size.insert });
  log('substrate: one small message over loopback TCP');
  const loopback = await measureLoopbackMessages({ messages: size.loopbackRoundTrips });

  log(`Threadline: chat latency, ${size.chatMessages} messages`);
  const chat = await measureChatLatency(size.chatMessages);
  log(`Threadline: webhook latency, ${size.webhooks.rate} events/s`);
  const webhooks = await measureWebhookLatency(size.webhooks);
  log(`Threadline: projection rebuild, ${size.rebuild.batches} batches`);
  const rebuild = await measureProjectionRebuild(size.rebuild);
  const rebuildMs = summarize(rebuild.reports.map((report) => report.durationMs)).median;
  const events = rebuild.reports[0]?.counts.events ?? 0;
  const throughput = [];
  for (const replicas of [1, 2] as const) {
    log(`Threadline: throughput, ${size.throughput.chats} chats, ${replicas} replica(s) each`);
    throughput.push(await measureThroughput({ ...size.throughput, replicas }));
  }
  log(`Threadline: idle connections, steps ${size.connections.steps.join(', ')}`);
  const connections = await measureConnections(size.connections);

  const results: SuiteResults = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    quick,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      natsServer: publish.serverVersion,
      postgres: insert.serverVersion,
      loadAverageBefore: loadBefore[0] ?? 0,
      loadAverageAfter: loadavg()[0] ?? 0,
    },
    substrate: { roundTrip, publish, insert, loopback },
    threadline: {
      chat: {
        messages: size.chatMessages,
        roundTrip: summarize(chat.roundTrips),
        delivery: summarize(chat.deliveries),
      },
      webhooks: {
        ...size.webhooks,
        refused: webhooks.refused,
        missing: webhooks.missing,
        latency: summarize(webhooks.latencies),
      },
      rebuild: {
        ...size.rebuild,
        events,
        medianMs: rebuildMs,
        eventsPerSecond: events / (rebuildMs / 1000),
        fillSeconds: rebuild.fillSeconds,
        replayMs: summarize(rebuild.reports.map((report) => report.phases?.replay ?? Number.NaN))
          .median,
      },
      throughput,
      connections,
    },
  };
  const directory = join(import.meta.dirname, '../results');
  await mkdir(directory, { recursive: true });
  const name = startedAt.toISOString().replace(/[:.]/g, '-');
  await writeFile(join(directory, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  const report = renderReport(results);
  await writeFile(join(directory, `${name}.md`), report);
  process.stdout.write(report);
  log(`written: bench/results/${name}.json and .md`);
}

runCommand(main);
