import { type ChildProcess, fork } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { startBenchPlatform } from './bench-platform.ts';
import { runCommand } from './cli.ts';
import type { ClientCommand, OpenReport } from './connections-client.ts';
import { seedCustomerTokens } from './connections-seed.ts';
import { summarize } from './stats.ts';

/**
 * Idle RTM connections held by one gateway process: customers (the widget's connections, the many
 * in a real deployment) log in over RTM in steps up to `steps`' last total, and after each step
 * the gateway's resident memory, heap and CPU time are read from /proc and its /metrics. One
 * replica of every service, so every connection is on the measured process. The clients are
 * forked processes (each with its own descriptor limit), each from its own loopback address.
 * Usage: pnpm --filter @threadline/bench connections [total,total,…] [clients] [window]
 */

/** Descriptors the gateway keeps for itself (NATS, Postgres pool, listeners, log) and spare. */
const gatewayFdHeadroom = 500;
/** Logins before the baseline, so JIT-compiled code and lazy modules are not counted per socket. */
const warmUpLogins = 200;
/** How long the connections sit idle before the gateway's memory is read. */
const settleMs = 3_000;

export interface ConnectionsOptions {
  /** Cumulative totals of open connections at which the gateway is measured, ascending. */
  steps: number[];
  /** Load-generating processes. */
  clients?: number;
  /** Logins in flight at once per client process. */
  window?: number;
  /** Added to every service's environment. */
  environment?: Record<string, string>;
  /** Called with each step as it is measured (a long run shows progress, and keeps it). */
  onStep?: (step: ConnectionsStep) => void;
  /** Called with the gateway's pid while the last step's connections are still open. */
  whileOpen?: (gatewayPid: number) => Promise<void>;
}

export interface GatewaySample {
  rssBytes: number;
  heapUsedBytes: number;
  externalBytes: number;
  cpuSeconds: number;
  fds: number;
}

export interface ConnectionsStep {
  /** Connections open after this step (the gateway's own count). */
  connections: number;
  /** Logins of this step, and per second from its first connect to its last login. */
  logins: number;
  loginsPerSecond: number;
  failures: Record<string, number>;
  /** Connect → login response and login frame → login response, ms. */
  connectAndLogin: ReturnType<typeof summarize>;
  login: ReturnType<typeof summarize>;
  gateway: GatewaySample;
  /** (sample − baseline) / connections. */
  rssPerConnection: number;
  heapPerConnection: number;
  /**
   * (sample − previous step's sample) / connections added: what one more connection costs,
   * without what the first logins after the baseline grow once (code, caches, pools).
   */
  rssPerAddedConnection: number;
  /** Gateway CPU time of this step per login, ms. */
  cpuMsPerLogin: number;
  loadAverage: number;
}

export interface ConnectionsResult {
  fdLimit: number;
  /** The most connections the gateway's descriptor limit leaves room for. */
  fdCeiling: number;
  baseline: GatewaySample;
  steps: ConnectionsStep[];
  /** Connections still open when the clients were told to close (the server dropped none). */
  openAtEnd: number;
}

export async function measureConnections(options: ConnectionsOptions): Promise<ConnectionsResult> {
  const clients = options.clients ?? 4;
  const window = options.window ?? 32;
  const total = options.steps.at(-1) ?? 0;
  const bench = await startBenchPlatform({
    agents: 1,
    replicas: 1,
    // Thousands of logins a second from a few loopback addresses are this scenario's load, and
    // what the per-address rate limit exists to refuse from a real client.
    environment: { RATE_LIMITS: 'off', ...options.environment },
  });
  const children: ChildProcess[] = [];
  try {
    const gateway = bench.platform.processes.find((process) => process.service === 'gateway')!;
    const pid = gateway.child.pid!;
    const fdLimit = await openFilesLimit(pid);
    const tokens = await seedCustomerTokens({
      databaseUrl: bench.databaseUrl,
      organizationId: bench.organizationId,
      clientId: bench.clientId,
      count: total + warmUpLogins,
    });
    const url = new URL('/v3.6/customer/rtm/ws', bench.platform.gatewayUrls[0]);
    url.protocol = 'ws:';
    url.searchParams.set('organization_id', bench.organizationId);
    const read = () => sampleGateway(pid, gateway.healthUrl);

    for (let index = 0; index < clients; index += 1) children.push(forkClient(index, total));
    // Warm-up: a process of its own logs in a few, then closes them and ends.
    const warmUp = forkClient(clients, warmUpLogins);
    children.push(warmUp);
    await ask(warmUp, {
      type: 'open',
      url: url.href,
      tokens: tokens.splice(0, warmUpLogins),
      window,
    });
    await ask(warmUp, { type: 'close' });
    children.pop();
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const baseline = await read();
    const fdCeiling = fdLimit - baseline.fds - gatewayFdHeadroom;

    // This machine's descriptor limit, not the gateway, caps the largest step.
    const targets = [...new Set(options.steps.map((step) => Math.min(step, fdCeiling)))];
    const steps: ConnectionsStep[] = [];
    let opened = 0;
    let before = baseline;
    let connectionsBefore = 0;
    for (const target of targets) {
      const batch = tokens.slice(opened, target);
      opened = target;
      const reports = await Promise.all(
        children.map((child, index) =>
          ask<OpenReport>(child, {
            type: 'open',
            url: url.href,
            tokens: batch.filter((_, position) => position % children.length === index),
            window,
          }),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      const sample = await read();
      const logins = reports.reduce((sum, report) => sum + report.connectAndLogin.length, 0);
      const seconds =
        (Math.max(...reports.map((report) => report.lastLoginAt)) -
          Math.min(...reports.map((report) => report.firstConnectAt))) /
        1000;
      const connections = await openConnections(gateway.healthUrl);
      steps.push({
        connections,
        logins,
        loginsPerSecond: logins / seconds,
        failures: mergeCounts(reports.map((report) => report.failures)),
        connectAndLogin: summarize(reports.flatMap((report) => report.connectAndLogin)),
        login: summarize(reports.flatMap((report) => report.login)),
        gateway: sample,
        rssPerConnection: (sample.rssBytes - baseline.rssBytes) / connections,
        heapPerConnection: (sample.heapUsedBytes - baseline.heapUsedBytes) / connections,
        rssPerAddedConnection:
          (sample.rssBytes - before.rssBytes) / Math.max(1, connections - connectionsBefore),
        cpuMsPerLogin: ((sample.cpuSeconds - before.cpuSeconds) * 1000) / Math.max(1, logins),
        loadAverage: loadavg()[0] ?? 0,
      });
      options.onStep?.(steps.at(-1)!);
      before = sample;
      connectionsBefore = connections;
    }
    await options.whileOpen?.(pid);
    const closed = await Promise.all(
      children.map((child) => ask<{ openBeforeClose: number }>(child, { type: 'close' })),
    );
    children.length = 0;
    const openAtEnd = closed.reduce((sum, report) => sum + report.openBeforeClose, 0);
    return { fdLimit, fdCeiling, baseline, steps, openAtEnd };
  } finally {
    for (const child of children) child.kill('SIGKILL');
    await bench.stop();
  }
}

/** A client process, from its own loopback address (ephemeral ports are per source address). */
function forkClient(index: number, connections: number): ChildProcess {
  return fork(join(import.meta.dirname, 'connections-client.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      BENCH_LOCAL_ADDRESS: `127.0.0.${2 + index}`,
      // Bounded in time: a process that outlives its run ends itself.
      BENCH_DEADLINE_MS: String(120_000 + connections * 100), // logins at 10/s or better
    },
  });
}

/** Sends a command to a client process and waits for its answer. */
function ask<Answer>(child: ChildProcess, command: ClientCommand): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`client exited (${code})`));
    child.once('exit', onExit);
    child.once('message', (answer) => {
      child.off('exit', onExit);
      resolve(answer as Answer);
    });
    child.send(command);
  });
}

async function sampleGateway(pid: number, healthUrl: string): Promise<GatewaySample> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
  // utime and stime, in clock ticks (100 per second on Linux), after the command name's ')'.
  const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  const cpuSeconds = (Number(stat[11]) + Number(stat[12])) / 100;
  const metrics = await (await fetch(`${healthUrl}/metrics`)).text();
  return {
    rssBytes: rssKiB * 1024,
    heapUsedBytes: metric(metrics, 'nodejs_heap_size_used_bytes'),
    externalBytes: metric(metrics, 'nodejs_external_memory_bytes'),
    cpuSeconds,
    fds: (await readdir(`/proc/${pid}/fd`)).length,
  };
}

async function openConnections(healthUrl: string): Promise<number> {
  const metrics = await (await fetch(`${healthUrl}/metrics`)).text();
  return [...metrics.matchAll(/^gateway_rtm_connections\{[^}]*\} (\d+)/gm)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
}

function metric(text: string, name: string): number {
  return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN);
}

async function openFilesLimit(pid: number): Promise<number> {
  const limits = await readFile(`/proc/${pid}/limits`, 'utf8');
  return Number(/^Max open files\s+(\d+)/m.exec(limits)?.[1] ?? Number.NaN);
}

function mergeCounts(counts: Record<string, number>[]): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const count of counts) {
    for (const [key, value] of Object.entries(count)) merged[key] = (merged[key] ?? 0) + value;
  }
  return merged;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** The step table, and the 50,000-connection extrapolation from the largest step. */
export function formatConnections(result: ConnectionsResult): string {
  const lines = [
    `gateway: open-files limit ${result.fdLimit}, ${result.baseline.fds} in use at baseline, ` +
      `room for ~${result.fdCeiling} connections; baseline RSS ${mib(result.baseline.rssBytes)}, ` +
      `heap ${mib(result.baseline.heapUsedBytes)}`,
    '| connections | logins/s | login p50 | p99 | connect+login p50 | p99 | RSS | RSS/conn | RSS/added conn | heap/conn | CPU ms/login | failures | load |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const step of result.steps) {
    lines.push(
      `| ${step.connections} | ${Math.round(step.loginsPerSecond)} | ${step.login.median.toFixed(1)} ms | ` +
        `${step.login.p99.toFixed(1)} ms | ${step.connectAndLogin.median.toFixed(1)} ms | ` +
        `${step.connectAndLogin.p99.toFixed(1)} ms | ${mib(step.gateway.rssBytes)} | ` +
        `${kib(step.rssPerConnection)} | ${kib(step.rssPerAddedConnection)} | ` +
        `${kib(step.heapPerConnection)} | ` +
        `${step.cpuMsPerLogin.toFixed(2)} | ${JSON.stringify(step.failures)} | ${step.loadAverage.toFixed(2)} |`,
    );
  }
  const last = result.steps.at(-1);
  if (last) {
    lines.push(
      `extrapolated (not measured): 50,000 connections × ${kib(last.rssPerConnection)} = ` +
        `${mib(result.baseline.rssBytes + 50_000 * last.rssPerConnection)} RSS`,
    );
  }
  lines.push(`connections still open when the clients closed them: ${result.openAtEnd}`);
  return lines.join('\n');
}

/**
 * `--heap-snapshot` (with NODE_OPTIONS=--heapsnapshot-signal=SIGUSR2): the gateway writes a heap
 * snapshot (into services/gateway) with the last step's connections open.
 */
async function writeHeapSnapshot(pid: number): Promise<void> {
  const directory = join(import.meta.dirname, '../../services/gateway');
  const count = async () =>
    (await readdir(directory)).filter((name) => name.endsWith('.heapsnapshot')).length;
  const before = await count();
  process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + 60_000;
  while ((await count()) === before && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await new Promise((resolve) => setTimeout(resolve, 5_000)); // the file is written in pieces
}

async function main(): Promise<void> {
  const [stepList, clientCount, windowSize] = process.argv
    .slice(2)
    .filter((argument) => !argument.startsWith('--'));
  const steps = (stepList ?? '1000,5000,15000').split(',').map(Number);
  const clients = Number(clientCount ?? 4);
  const window = Number(windowSize ?? 32);
  const result = await measureConnections({
    steps,
    clients,
    window,
    onStep: (step) => process.stderr.write(`${JSON.stringify(step)}\n`),
    ...(process.argv.includes('--heap-snapshot') ? { whileOpen: writeHeapSnapshot } : {}),
  });
  process.stdout.write(
    `connections, steps ${steps.join(', ')}, ${clients} client processes × window ${window}, ` +
      `one replica of each service, ${new Date().toISOString()}\n${formatConnections(result)}\n`,
  );
}

if (import.meta.main) runCommand(main);
