import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createDatabase } from '@threadline/postgres';
import { createWebClient, type WebClient } from '@threadline/sdk';
import { sql } from 'kysely';
import { seedArchives } from './archive-seed.ts';
import { recordTemplateChat } from './archive-template.ts';
import { wordAt } from './archive-words.ts';
import { startBenchPlatform } from './bench-platform.ts';
import { formatSummary } from './stats.ts';

/**
 * `list_archives` over a large history: the whole platform as processes (two replicas of every
 * service) on a database of its own, its projections seeded with about `events` events (see
 * archive-seed.ts), then a mix of searches by one agent over the Agent Web API, each kind
 * `samples` times in turn after a warm-up. The database is dropped at the end unless `--keep`.
 * Usage: pnpm --filter @threadline/bench archive-search [events] [samples] [--keep]
 */
const [eventsArgument, samplesArgument] = process.argv
  .slice(2)
  .filter((arg) => !arg.startsWith('--'));
const targetEvents = Number(eventsArgument ?? 1_000_000);
const samples = Number(samplesArgument ?? 200);
const keep = process.argv.includes('--keep');

/** The reader sees groups 0–4 of the 10 its organization's chats are spread over. */
const readerGroups = [1, 2, 3, 4];
const year2025 = { from: '2025-01-01T00:00:00Z', to: '2025-12-31T23:59:59Z' };

type Payload = Record<string, unknown>;
/** Each kind of search: the payload of its i-th call (words vary between calls). */
const searches: Record<string, (index: number) => Payload> = {
  'rare word (~100 uses)': (index) => ({ filters: { query: wordAt(8000 + (index % 50)) } }),
  'medium word (~4 000 uses)': (index) => ({ filters: { query: wordAt(200 + (index % 50)) } }),
  'common word (most events)': (index) => ({ filters: { query: wordAt(1 + (index % 5)) } }),
  'two words + from/to + group_ids': (index) => ({
    filters: {
      query: `${wordAt(30 + (index % 20))} ${wordAt(60 + (index % 20))}`,
      ...year2025,
      group_ids: [1, 2],
    },
  }),
  'medium word + highlights': (index) => ({
    filters: { query: wordAt(200 + (index % 50)) },
    highlights: {},
  }),
  'tags + agents + from/to, no query': (index) => ({
    filters: {
      tags: { values: ['billing'] },
      agents: { values: [`agent-${index % 40}@org0.bench`] },
      ...year2025,
    },
  }),
};

async function main(): Promise<void> {
  const bench = await startBenchPlatform({ agents: 1, groups: readerGroups });
  const db = createDatabase<unknown>({ url: bench.databaseUrl, schema: 'chat_store', poolSize: 2 });
  try {
    const created = bench.agents[0]!;
    const template = await recordTemplateChat(bench, created);
    const { rows } = await sql<{ count: number }>`SELECT count(*)::int AS count
      FROM chat_store.events WHERE chat_id = ${template.chatId}`.execute(db);
    const perChat = rows[0]?.count ?? 1;
    const chats = Math.ceil(targetEvents / perChat);
    const seedingStarted = performance.now();
    const seeded = await seedArchives(
      db,
      template,
      {
        chats,
        organizations: [
          bench.organizationId,
          bench.organizationId,
          randomUUID(),
          randomUUID(),
          randomUUID(),
        ],
        groups: 10,
        agentsPerOrganization: 40,
        tags: ['billing', 'sales', 'support', 'feedback', 'spam'],
        since: new Date('2023-12-01T00:00:00Z'),
        until: new Date('2026-12-01T00:00:00Z'),
      },
      (done) => {
        if (done % Math.ceil(chats / 10) < 200) console.log(`seeded ${done}/${chats} chats`);
      },
    );
    await sql`VACUUM ANALYZE`.execute(db);
    const seconds = ((performance.now() - seedingStarted) / 1000).toFixed(0);
    console.log(`seeded ${seeded} events in ${chats} chats (${2 * chats} threads) in ${seconds} s`);
    const agentApi = createWebClient({
      baseUrl: bench.platform.gatewayUrls[0]!,
      api: 'agent',
      credentials: { accountId: created.agent.accountId, personalAccessToken: created.pat },
    });
    for (const [name, payloadOf] of Object.entries(searches)) {
      await measure(name, agentApi, payloadOf);
    }
    const common = searches['common word (most events)'] as (index: number) => Payload;
    await measure('common word, page 2 (page_id)', agentApi, async (index) => {
      const first = await agentApi.call('list_archives', common(index));
      return { page_id: first.next_page_id };
    });
  } finally {
    await db.destroy();
    if (keep) {
      await bench.platform.stop();
      console.log(`kept ${bench.databaseUrl}`);
    } else await bench.stop();
  }
}

/** Times `samples` calls after ten warm-up ones; preparing a call's payload is not timed. */
async function measure(
  name: string,
  agentApi: WebClient,
  payloadOf: (index: number) => Payload | Promise<Payload>,
): Promise<void> {
  const durations: number[] = [];
  const found: number[] = [];
  for (let index = 0; index < samples + 10; index += 1) {
    const payload = await payloadOf(index);
    const started = performance.now();
    const answer = await agentApi.call('list_archives', payload);
    const elapsed = performance.now() - started;
    if (index < 10) continue;
    durations.push(elapsed);
    found.push(Number(answer.found_chats));
  }
  const meanFound = found.reduce((sum, value) => sum + value, 0) / found.length;
  console.log(`${formatSummary(name, durations)}  found_chats ~${meanFound.toFixed(0)}`);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
