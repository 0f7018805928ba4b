import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { testInfrastructure } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpProjections } from './adapters/postgres/projection-dump.ts';
import { startTestChatStores, type TestChatStores } from './testing/harness.ts';

const cli = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../packages/cli/bin/threadline.mjs',
);
const run = promisify(execFile);

let sut: TestChatStores;

beforeAll(async () => {
  sut = await startTestChatStores(1);
});
afterAll(async () => {
  await sut?.stop();
});

/** The operator's `threadline`, as a process, pointed at this test's namespace and database. */
async function threadline(...args: string[]) {
  const env = {
    ...process.env,
    DATABASE_URL: sut.database.url,
    NATS_URL: testInfrastructure().natsUrl,
    THREADLINE_NAMESPACE: sut.namespace,
  };
  const { stdout, stderr } = await run(process.execPath, [cli, ...args], { env });
  return { output: JSON.parse(stdout) as Record<string, unknown>, stderr };
}

describe('threadline projections (runs chat-store/src/tools/projections.ts)', () => {
  it('dumps the projections and rebuilds them into an identical set', async () => {
    const customer = sut.customer();
    const { chat_id } = await sut.execute<{ chat_id: string }>(
      'start_chat',
      { chat: { thread: { events: [{ type: 'message', text: 'hello' }] } } },
      customer,
    );
    await sut.execute(
      'send_event',
      { chat_id, event: { type: 'message', text: 'more' } },
      customer,
    );
    const live = await dumpProjections(sut.db);

    const dumped = await threadline('projections', 'dump');
    expect(dumped.output).toEqual({ counts: live.counts, digest: live.digest });
    const rows = await threadline(
      'projections',
      'dump',
      '--organization',
      sut.organizationId,
      '--rows',
    );
    expect(rows.output.lines).toEqual(live.lines);

    const rebuilt = await threadline('projections', 'rebuild', '--drop-old');
    expect(rebuilt.output).toMatchObject({
      batches: { replayed: 2, caughtUp: 0, paused: 0 },
      counts: live.counts,
      digest: { before: live.digest, after: live.digest },
      previousSchema: null,
    });
    expect(rebuilt.stderr).toContain('replayed {"batches":2');
    expect((await dumpProjections(sut.db)).digest).toBe(live.digest);
    // Three CLI processes, each compiling its TypeScript at start: 30 s is too little on a loaded
    // 2-core machine (it ran out once in CI at 31 s).
  }, 90_000);
});
