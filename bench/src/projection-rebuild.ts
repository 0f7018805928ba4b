import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { callService, connectBus, createSubjects } from '@threadline/bus';
import { Command, Requester } from '@threadline/contracts';
import {
  createTestDatabase,
  ensureInfrastructure,
  startPlatform,
  uniqueNamespace,
} from '@threadline/testkit';
import { runCommand } from './cli.ts';
import { summarize } from './stats.ts';

/**
 * `threadline projections rebuild` over a history of chat batches (one start_chat and then
 * send_events, 10 batches per chat), with two chat-store replicas running: the whole command as
 * an operator runs it (a process), `runs` times at each size of the history (the history grows
 * from one size to the next); prints the tool's own report of each run and, per size, the
 * medians of its phases: the first pass over the stream (the replay, which grows with the
 * history) apart from the steps around it (indexing, comparing, switching).
 */
const perChat = 10;
const concurrency = 16;

const repositoryRoot = join(import.meta.dirname, '../..');

export type RunReport = Record<string, unknown> & {
  durationMs: number;
  pauseMs: number;
  counts: Record<string, number>;
  batches: { replayed: number; caughtUp: number; paused: number };
  /** The tool's time per phase (chat-store's RebuildPhases); absent from older tools. */
  phases?: Record<string, number> & { replayParts: Record<string, number> };
  /** The whole command's time, as the operator waits for it. */
  wallMs: number;
};

export interface ProjectionRebuild {
  chats: number;
  batches: number;
  /** Seconds to write the history up to this size (from the size before). */
  fillSeconds: number;
  reports: RunReport[];
}

/** One size: the suite's measure. */
export async function measureProjectionRebuild(options: {
  batches: number;
  runs: number;
  /** Called with each run's report as it ends. */
  onRun?: (report: RunReport) => void;
}): Promise<ProjectionRebuild> {
  const [result] = await measureProjectionRebuildSizes({ ...options, sizes: [options.batches] });
  return result!;
}

/** Each size in turn (ascending), on one platform whose history grows to each. */
export async function measureProjectionRebuildSizes(options: {
  sizes: readonly number[];
  runs: number;
  onRun?: (report: RunReport) => void;
}): Promise<ProjectionRebuild[]> {
  const infrastructure = await ensureInfrastructure({
    dataDir: join(repositoryRoot, '.threadline'),
  });
  const database = await createTestDatabase(infrastructure.databaseUrl, 'tl_bench');
  const namespace = uniqueNamespace('bench');
  const environment = {
    DATABASE_URL: database.url,
    NATS_URL: infrastructure.natsUrl,
    THREADLINE_NAMESPACE: namespace,
  };
  const platform = await startPlatform({
    ...{ natsUrl: infrastructure.natsUrl, databaseUrl: database.url, namespace },
    services: ['chat-store'],
    replicas: 2,
    logDir: join(repositoryRoot, '.threadline/bench-logs'),
    environment: { LOG_LEVEL: 'warn' },
  });
  const bus = await connectBus({ url: infrastructure.natsUrl, name: 'bench-projection-rebuild' });
  const subjects = createSubjects(namespace);
  const organizationId = randomUUID();

  function execute(action: string, payload: object, requester: Requester): Promise<unknown> {
    const command = Command.fromPartial({
      commandId: randomUUID(),
      requester,
      action,
      payloadJson: JSON.stringify(payload),
      apiVersion: '3.6',
      issuedAt: new Date().toISOString(),
    });
    return callService(bus.connection, subjects.chatStoreExecute, command);
  }

  /** One customer's chat: `perChat` batches. */
  async function aChat(): Promise<void> {
    const customer = Requester.fromPartial({
      organizationId,
      userId: randomUUID(),
      userType: 'customer',
      name: 'Bench Customer',
      groupIds: [0],
    });
    const { chat_id } = (await execute(
      'start_chat',
      { chat: { thread: { events: [{ type: 'message', text: 'hello there' }] } } },
      customer,
    )) as { chat_id: string };
    for (let index = 1; index < perChat; index++) {
      const text = `message ${index} about the order ${randomUUID().slice(0, 8)}`;
      await execute('send_event', { chat_id, event: { type: 'message', text } }, customer);
    }
  }

  async function rebuildOnce(): Promise<RunReport> {
    const started = performance.now();
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [
        join(repositoryRoot, 'packages/cli/bin/threadline.mjs'),
        'projections',
        'rebuild',
        '--drop-old',
      ],
      { env: { ...process.env, ...environment }, maxBuffer: 1 << 24 },
    );
    process.stderr.write(stderr);
    return { ...JSON.parse(stdout), wallMs: performance.now() - started };
  }

  try {
    const results: ProjectionRebuild[] = [];
    let next = 0;
    for (const size of options.sizes) {
      const chats = Math.ceil(size / perChat);
      const filling = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < chats) {
            next++;
            await aChat();
          }
        }),
      );
      const fillSeconds = (performance.now() - filling) / 1000;
      const reports: RunReport[] = [];
      for (let run = 0; run < options.runs; run++) {
        const report = await rebuildOnce();
        reports.push(report);
        options.onRun?.(report);
      }
      results.push({ chats, batches: chats * perChat, fillSeconds, reports });
    }
    return results;
  } finally {
    await bus.connection.drain();
    await platform.stop();
    await database.drop();
  }
}

/**
 * Usage: projection-rebuild [sizes] [runs], sizes in batches, comma-separated (default
 * 1000,5000,20000), runs per size (default 3).
 */
async function main(): Promise<void> {
  const sizes = (process.argv[2] ?? '1000,5000,20000').split(',').map(Number);
  const runs = Number(process.argv[3] ?? 3);
  const results = await measureProjectionRebuildSizes({
    sizes,
    runs,
    onRun: (report) => console.log(JSON.stringify(report)),
  });
  const rows = results.map(({ chats, batches, fillSeconds, reports }) => {
    const median = (value: (report: RunReport) => number | undefined) =>
      summarize(reports.map((report) => value(report) ?? Number.NaN)).median;
    const events = reports[0]?.counts.events ?? 0;
    const replayMs = median((report) => report.phases?.replay);
    const replayed = median((report) => report.batches.replayed);
    const durationMs = median((report) => report.durationMs);
    const part = (name: string) => median((report) => report.phases?.replayParts[name]);
    const phase = (name: string) => median((report) => report.phases?.[name] as number);
    return [
      `${batches} (${chats} chats, filled in ${fillSeconds.toFixed(1)} s)`,
      `${replayMs.toFixed(0)} ms`,
      perSecond(replayed, replayMs),
      ['reading', 'opening', 'folding', 'writing'].map((name) => part(name).toFixed(0)).join(' / '),
      ['setup', 'indexing', 'catchUp', 'comparing', 'pause', 'finishing']
        .map((name) => phase(name).toFixed(0))
        .join(' / '),
      `${durationMs.toFixed(0)} ms`,
      perSecond(events, durationMs),
      `${median((report) => report.wallMs).toFixed(0)} ms`,
    ];
  });
  console.log(
    [
      `projection rebuild, medians of ${runs} run(s) per size`,
      '',
      '| batches | replay (first pass) | replay rate | reading / opening / folding / writing (ms) | setup / indexing / catch-up / comparing / pause / finishing (ms) | whole rebuild | events/s of the whole rebuild | the command (process) |',
      '|---|---|---|---|---|---|---|---|',
      ...rows.map((row) => `| ${row.join(' | ')} |`),
    ].join('\n'),
  );
}

function perSecond(count: number, ms: number): string {
  return `${Math.round(count / (ms / 1000)).toLocaleString('en-US')}/s`;
}

if (import.meta.main) runCommand(main);
