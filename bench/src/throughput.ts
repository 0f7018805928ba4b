import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDatabase } from '@threadline/postgres';
import type { RtmClient } from '@threadline/sdk';
import { ensureInfrastructure } from '@threadline/testkit';
import { type Kysely, sql } from 'kysely';
import { appendConflicts } from './append-conflicts.ts';
import { startBenchPlatform } from './bench-platform.ts';
import { runCommand } from './cli.ts';
import { type Conversation, openConversations } from './conversations.ts';
import { type LoadStep, runLoadStep } from './load-step.ts';
import { cpuSeconds, ioSyscalls } from './process-cpu.ts';
import { nextRate, type RateSearch, sustainedRate } from './rate-search.ts';
import { summarize } from './stats.ts';
import { measureJetStreamPublish } from './substrate/jetstream-publish.ts';

/**
 * Throughput on this machine: agents and customers chatting at once over RTM (the whole platform
 * as processes, one or two replicas of every service), open-loop load stepped up until the
 * platform no longer keeps up. A step keeps up when every send is accepted, every push reaches the
 * other side of its chat, every accepted event is in chat-store's projection (`events` rows), the
 * generator itself kept the rate and no backlog grew: the median of send → push within
 * `backlogLimitMs` (past its capacity the queue grows through the step and the median with it; a
 * stall of the shared machine moves only the tail). It is within the target when, besides, the
 * p99 is within `p99LimitMs` (issue 7's 50 ms). Two answers: the sustained rate (the highest step
 * within the target) and the capacity (the highest that kept up).
 * Usage: pnpm --filter @threadline/bench throughput [chats, e.g. 10,50,200] [replicas, e.g. 1,2]
 * [seconds per step] [fixed rate: one step at it instead of the search]
 */
export interface ThroughputOptions {
  chats: number;
  replicas?: 1 | 2;
  /** Agents sharing the chats (default one per five chats). */
  agents?: number;
  stepSeconds?: number;
  search?: Partial<RateSearch>;
  /** A fixed rate: one step at it (after the warm-up) instead of the search, e.g. to profile. */
  rate?: number;
  p99LimitMs?: number;
  backlogLimitMs?: number;
  onStep?: (step: ThroughputStep) => void;
}

/**
 * A service's CPU time (ms) and read and write system calls. Nearly all of its reads and writes
 * are on sockets (NATS, Postgres, websockets): one per message or statement sent or received.
 */
export interface ServiceUsage {
  cpuMs: number;
  reads: number;
  writes: number;
}

export interface ThroughputStep extends Omit<LoadStep, 'latencies'> {
  latency: ReturnType<typeof summarize>;
  /** Accepted events not in the projection when the step's pushes were in (after 5 s at most). */
  unprojected: number;
  /** Cores the platform's Node processes used during the step (NATS and Postgres not included). */
  platformCores: number;
  /** Their CPU time per accepted event beyond what they use idle, ms. */
  cpuMsPerEvent: number;
  /** Each service's usage per accepted event beyond idle, all its replicas together. */
  perEventByService: Record<string, ServiceUsage>;
  /** Appends chat-store refused during the step because another replica wrote first. */
  appendConflicts: number;
  keptUp: boolean;
  withinTarget: boolean;
}

export interface Throughput {
  chats: number;
  agents: number;
  replicas: 1 | 2;
  stepSeconds: number;
  p99LimitMs: number;
  backlogLimitMs: number;
  /** Cores the platform's Node processes used idle, after the set-up. */
  idleCores: number;
  steps: ThroughputStep[];
  /** The highest step within the target (p99 ≤ `p99LimitMs`). */
  sustained: ThroughputStep | undefined;
  /** The highest step that kept up. */
  capacity: ThroughputStep | undefined;
}

const repositoryRoot = join(import.meta.dirname, '../..');

const defaultSearch: RateSearch = { startRate: 20, factor: 1.5, maxSteps: 9, maxRate: 20_000 };

export async function measureThroughput(options: ThroughputOptions): Promise<Throughput> {
  const { chats, replicas = 2, stepSeconds = 5, p99LimitMs = 50, backlogLimitMs = 100 } = options;
  const agents = options.agents ?? Math.ceil(chats / 5);
  const search = { ...defaultSearch, ...options.search };
  const start = () =>
    startBenchPlatform({
      agents,
      replicas,
      // Room for every chat, and for a chat or two of a set-up attempt that failed after starting.
      maxChatsCount: Math.ceil(chats / agents) + 2,
    });
  // A replica can lose its port to another process between the pick and the start (the testkit
  // retries only some of those): one more try rather than a lost run.
  const bench = await start().catch(start);
  const projections = createDatabase<unknown>({
    url: bench.databaseUrl,
    schema: 'chat_store',
    poolSize: 1,
  });
  let sockets: RtmClient[] = [];
  try {
    const opened = await openConversations(bench, chats);
    sockets = opened.sockets;
    const { conversations } = opened;
    const projected = () => projectedEvents(projections, bench.organizationId);
    const pids = bench.platform.processes.map((service) => service.child.pid ?? 0);
    const platformCpu = () => cpuSeconds(pids);
    const platformUsage = () => usageByService(bench.platform.processes);
    // What the platform spends with no load (timers, polls, heartbeats), so that the CPU per
    // event is what an event adds.
    await sleep(1_000); // the set-up's last events still going through the router and webhooks
    const idleFrom = platformCpu();
    const idleUsageFrom = platformUsage();
    await sleep(2_000);
    const idleCores = (platformCpu() - idleFrom) / 2;
    const idleUsagePerSecond = perUnit(idleUsageFrom, platformUsage(), 2, {});
    // JIT, connection pools, caches: a first step at the lowest rate, not reported.
    await runLoadStep(conversations, { rate: search.startRate, seconds: 2, label: 'warm-up' });

    const steps: ThroughputStep[] = [];
    const runStep = async (rate: number) => {
      const step = await measureStep(conversations, {
        rate,
        seconds: stepSeconds,
        label: `step-${steps.length}`,
        p99LimitMs,
        backlogLimitMs,
        projected,
        platformCpu,
        idleCores,
        platformUsage,
        idleUsagePerSecond,
        conflicts: () => appendConflicts(bench.platform),
      });
      steps.push(step);
      options.onStep?.(step);
      if (!step.keptUp) await sleep(2_000); // let the backlog drain before another step
    };
    if (options.rate !== undefined) await runStep(options.rate);
    else {
      const tried = () => steps.map((step) => ({ rate: step.rate, held: step.keptUp }));
      for (let rate = nextRate(search, []); rate !== undefined; rate = nextRate(search, tried())) {
        await runStep(rate);
      }
    }
    const highest = (held: (step: ThroughputStep) => boolean) => {
      const rate = sustainedRate(steps.map((step) => ({ rate: step.rate, held: held(step) })));
      return steps.find((step) => held(step) && step.rate === rate);
    };
    return {
      chats,
      agents,
      replicas,
      stepSeconds,
      p99LimitMs,
      backlogLimitMs,
      idleCores,
      steps,
      sustained: highest((step) => step.withinTarget),
      capacity: highest((step) => step.keptUp),
    };
  } finally {
    await Promise.all(sockets.map((socket) => socket.close().catch(() => undefined)));
    await projections.destroy();
    await bench.stop();
  }
}

async function measureStep(
  conversations: readonly Conversation[],
  options: {
    rate: number;
    seconds: number;
    label: string;
    p99LimitMs: number;
    backlogLimitMs: number;
    projected: () => Promise<number>;
    platformCpu: () => number;
    idleCores: number;
    platformUsage: () => Record<string, ServiceUsage>;
    idleUsagePerSecond: Record<string, ServiceUsage>;
    conflicts: () => Promise<number>;
  },
): Promise<ThroughputStep> {
  const before = await options.projected();
  const conflictsBefore = await options.conflicts();
  const cpuBefore = options.platformCpu();
  const usageBefore = options.platformUsage();
  const startedAt = performance.now();
  const { latencies, ...step } = await runLoadStep(conversations, options);
  const wallSeconds = (performance.now() - startedAt) / 1000;
  const cpu = options.platformCpu() - cpuBefore;
  const perEventByService = perUnit(
    usageBefore,
    options.platformUsage(),
    step.accepted,
    scaled(options.idleUsagePerSecond, wallSeconds),
  );
  const platformCores = cpu / wallSeconds;
  const cpuMsPerEvent = ((cpu - options.idleCores * wallSeconds) * 1000) / step.accepted;
  // The push waits for the inline projection, so every delivered event should be in already; the
  // wait is for events whose push is missing.
  let after = await options.projected();
  for (let waited = 0; after < before + step.accepted && waited < 5_000; waited += 100) {
    await sleep(100);
    after = await options.projected();
  }
  const appendConflicts = (await options.conflicts()) - conflictsBefore;
  const latency = summarize(latencies);
  const unprojected = Math.max(0, before + step.accepted - after);
  const keptUp =
    Object.keys(step.refused).length === 0 &&
    step.missing === 0 &&
    unprojected === 0 &&
    step.sentPerSecond >= 0.9 * step.rate &&
    latency.median <= options.backlogLimitMs;
  const withinTarget = keptUp && latency.p99 <= options.p99LimitMs;
  return {
    ...step,
    latency,
    unprojected,
    platformCores,
    cpuMsPerEvent,
    perEventByService,
    appendConflicts,
    keptUp,
    withinTarget,
  };
}

/** Each service's usage so far, its replicas summed. */
function usageByService(
  processes: readonly { service: string; child: { pid?: number | undefined } }[],
): Record<string, ServiceUsage> {
  const byService: Record<string, ServiceUsage> = {};
  for (const service of new Set(processes.map((process) => process.service))) {
    const pids = processes.filter((p) => p.service === service).map((p) => p.child.pid ?? 0);
    byService[service] = { cpuMs: cpuSeconds(pids) * 1000, ...ioSyscalls(pids) };
  }
  return byService;
}

const usageFields = ['cpuMs', 'reads', 'writes'] as const;

/** (`after` − `before` − `baseline`) ÷ `units`, per service. */
function perUnit(
  before: Record<string, ServiceUsage>,
  after: Record<string, ServiceUsage>,
  units: number,
  baseline: Record<string, ServiceUsage>,
): Record<string, ServiceUsage> {
  const result: Record<string, ServiceUsage> = {};
  for (const [service, end] of Object.entries(after)) {
    const start = before[service];
    const base = baseline[service];
    const field = (name: (typeof usageFields)[number]) =>
      (end[name] - (start?.[name] ?? Number.NaN) - (base?.[name] ?? 0)) / units;
    result[service] = { cpuMs: field('cpuMs'), reads: field('reads'), writes: field('writes') };
  }
  return result;
}

function scaled(
  rates: Record<string, ServiceUsage>,
  seconds: number,
): Record<string, ServiceUsage> {
  return Object.fromEntries(
    Object.entries(rates).map(([service, rate]) => [
      service,
      { cpuMs: rate.cpuMs * seconds, reads: rate.reads * seconds, writes: rate.writes * seconds },
    ]),
  );
}

/**
 * Events of the organization in chat-store's projection. Tried three times: the Postgres this
 * machine shares may be out of connections for a moment, which is no fault of the platform's.
 */
async function projectedEvents(db: Kysely<unknown>, organizationId: string): Promise<number> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const { rows } = await sql<{ count: number }>`
        SELECT count(*)::int AS count FROM events WHERE organization_id = ${organizationId}`.execute(
        db,
      );
      return rows[0]?.count ?? 0;
    } catch (error) {
      if (attempt >= 3) throw error;
      await sleep(500);
    }
  }
}

/** One line per step, for a terminal or a log. */
export function formatStep(step: ThroughputStep): string {
  const refused = Object.entries(step.refused)
    .map(([type, count]) => `${count} × ${type}`)
    .join(', ');
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  return (
    `${step.rate}/s offered, ${step.sentPerSecond.toFixed(0)}/s sent, ` +
    `${step.deliveredPerSecond.toFixed(0)}/s delivered; p50 ${ms(step.latency.median)} ` +
    `p99 ${ms(step.latency.p99)} max ${ms(step.latency.max)}; ` +
    `refused ${refused || 0}, missing ${step.missing}, unprojected ${step.unprojected}; ` +
    `platform ${step.platformCores.toFixed(2)} cores, ${step.cpuMsPerEvent.toFixed(1)} ms CPU/event, ` +
    `${step.appendConflicts} append conflicts; per event ${formatUsage(step)}: ` +
    (step.withinTarget ? 'within target' : step.keptUp ? 'kept up' : 'fell behind')
  );
}

/** `gateway 1.2 ms 2.3 r 4.5 w, chat-store …`: each service's CPU, reads and writes per event. */
export function formatUsage(step: Pick<ThroughputStep, 'perEventByService'>): string {
  return Object.entries(step.perEventByService ?? {})
    .map(
      ([service, usage]) =>
        `${service} ${usage.cpuMs.toFixed(2)} ms ${usage.reads.toFixed(1)} r ${usage.writes.toFixed(1)} w`,
    )
    .join(', ');
}

async function main(): Promise<void> {
  const list = (argument: string | undefined, fallback: string) =>
    (argument ?? fallback).split(',').map(Number);
  const sizes = list(process.argv[2], '10,50,200');
  const replicaCounts = list(process.argv[3], '1,2') as (1 | 2)[];
  const stepSeconds = Number(process.argv[4] ?? 5);
  const rate = process.argv[5] === undefined ? undefined : Number(process.argv[5]);
  const loadBefore = loadavg()[0] ?? 0;
  const { natsUrl } = await ensureInfrastructure({ dataDir: join(repositoryRoot, '.threadline') });
  // The substrate in the same run: the target is 40 % of it (and at least 10,000/s).
  const publish = await measureJetStreamPublish({ natsUrl, messages: 100_000, seconds: 5 });
  const results: Throughput[] = [];
  const failures: string[] = [];
  for (const chats of sizes) {
    for (const replicas of replicaCounts) {
      process.stderr.write(`${chats} chats, ${replicas} replica(s) of each service\n`);
      // One size failing (the shared Postgres out of connections, say) leaves the others' rows.
      await measureThroughput({
        chats,
        replicas,
        stepSeconds,
        ...(rate === undefined ? {} : { rate }),
        onStep: (step) =>
          process.stderr.write(`  ${new Date().toISOString()} ${formatStep(step)}\n`),
      }).then(
        (result) => results.push(result),
        (error: unknown) => {
          failures.push(`| ${chats} | – | ${replicas} | failed: ${String(error)} | | | |`);
          process.stderr.write(`  failed: ${error instanceof Error ? error.stack : error}\n`);
        },
      );
    }
  }
  process.stdout.write(
    `throughput, steps of ${stepSeconds} s, ${new Date().toISOString()}, load average ` +
      `${loadBefore.toFixed(1)} before, ${(loadavg()[0] ?? 0).toFixed(1)} after; raw windowed ` +
      `JetStream publish ${Math.round(publish.perSecond)}/s, so the target is ` +
      `${Math.round(Math.max(10_000, 0.4 * publish.perSecond))}/s at p99 ≤ 50 ms\n\n` +
      '| chats | agents | replicas | sustained (p99 ≤ 50 ms) | capacity (kept up) | platform CPU: idle, per event at capacity | first step that fell behind |\n' +
      '|---|---|---|---|---|---|---|\n',
  );
  for (const result of results) {
    const fellBehind = result.steps.find((step) => !step.keptUp);
    process.stdout.write(
      `| ${result.chats} | ${result.agents} | ${result.replicas} | ${formatRate(result.sustained)} | ` +
        `${formatRate(result.capacity)} | ${result.idleCores.toFixed(2)} cores, ` +
        `${result.capacity?.cpuMsPerEvent.toFixed(1) ?? '–'} ms | ` +
        `${fellBehind ? formatStep(fellBehind) : '–'} |\n`,
    );
  }
  for (const failure of failures) process.stdout.write(`${failure}\n`);
}

/** A step's rate and latency, in one cell. */
export function formatRate(step: ThroughputStep | undefined): string {
  if (!step) return 'none';
  const { median, p99 } = step.latency;
  return `${step.rate}/s (p50 ${median.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms)`;
}

if (import.meta.main) runCommand(main);
