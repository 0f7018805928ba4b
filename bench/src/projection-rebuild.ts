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
 * `threadline projections rebuild` over a history of `batches` chat batches (one start_chat and
 * then send_events, 10 batches per chat), with two chat-store replicas running: the whole
 * command as an operator runs it (a process), `runs` times; prints the tool's own report of
 * each run and the medians.
 */
const perChat = 10;
const concurrency = 16;

const repositoryRoot = join(import.meta.dirname, '../..');

export type RunReport = Record<string, unknown> & {
  durationMs: number;
  pauseMs: number;
  counts: Record<string, number>;
  /** The whole command's time, as the operator waits for it. */
  wallMs: number;
};

export interface ProjectionRebuild {
  chats: number;
  batches: number;
  fillSeconds: number;
  reports: RunReport[];
}

export async function measureProjectionRebuild(options: {
  batches: number;
  runs: number;
  /** Called with each run's report as it ends. */
  onRun?: (report: RunReport) => void;
}): Promise<ProjectionRebuild> {
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
    const chats = Math.ceil(options.batches / perChat);
    const filling = performance.now();
    let next = 0;
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
    return { chats, batches: chats * perChat, fillSeconds, reports };
  } finally {
    await bus.connection.drain();
    await platform.stop();
    await database.drop();
  }
}

async function main(): Promise<void> {
  const runs = Number(process.argv[3] ?? 5);
  const { chats, batches, fillSeconds, reports } = await measureProjectionRebuild({
    batches: Number(process.argv[2] ?? 10_000),
    runs,
    onRun: (report) => console.log(JSON.stringify(report)),
  });
  console.log(`${chats} chats, ${batches} batches written in ${fillSeconds.toFixed(1)} s`);
  const median = (name: 'durationMs' | 'pauseMs' | 'wallMs') =>
    summarize(reports.map((report) => Number(report[name]))).median.toFixed(0);
  console.log(
    `rebuild of ${batches} batches, ${runs} runs: median ${median('durationMs')} ms ` +
      `(pause ${median('pauseMs')} ms; the whole command ${median('wallMs')} ms)`,
  );
}

if (import.meta.main) runCommand(main);
