import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { callService, connectBus, createSubjects } from '@threadline/bus';
import { Command, Requester } from '@threadline/contracts';
import {
  createTestDatabase,
  ensureInfrastructure,
  startPlatform,
  uniqueNamespace,
} from '@threadline/testkit';
import { summarize } from './stats.ts';

/**
 * `threadline projections rebuild` over a history of `batches` chat batches (one start_chat and
 * then send_events, 10 batches per chat), with two chat-store replicas running: the whole
 * command as an operator runs it (a process), `runs` times; prints the tool's own report of
 * each run and the medians.
 */
const batches = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 5);
const perChat = 10;
const concurrency = 16;

const repositoryRoot = join(import.meta.dirname, '../..');
const infrastructure = await ensureInfrastructure({ dataDir: join(repositoryRoot, '.threadline') });
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

type RunReport = Record<string, unknown> & { wallMs: number };

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
  const chats = Math.ceil(batches / perChat);
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
  console.log(`${chats} chats, ${chats * perChat} batches written in ${fillSeconds.toFixed(1)} s`);
  const reports: RunReport[] = [];
  for (let run = 0; run < runs; run++) {
    const report = await rebuildOnce();
    reports.push(report);
    console.log(JSON.stringify(report));
  }
  const median = (name: 'durationMs' | 'pauseMs' | 'wallMs') =>
    summarize(reports.map((report) => Number(report[name]))).median.toFixed(0);
  console.log(
    `rebuild of ${chats * perChat} batches, ${runs} runs: median ${median('durationMs')} ms ` +
      `(pause ${median('pauseMs')} ms; the whole command ${median('wallMs')} ms)`,
  );
} finally {
  await bus.connection.drain();
  await platform.stop();
  await database.drop();
}
