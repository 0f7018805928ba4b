import { parseArgs } from 'node:util';
import { connectBus, createSubjects, ensureStreams } from '@threadline/bus';
import { openKeyRing } from '@threadline/personal-data';
import { createDatabase, type Kysely, migrate } from '@threadline/postgres';
import { createBatchSealer } from '../adapters/personal-data/batch-sealer.ts';
import type { Database } from '../adapters/postgres/database.ts';
import { migrations } from '../adapters/postgres/migrations/index.ts';
import { dumpProjections } from '../adapters/postgres/projection-dump.ts';
import { schema } from '../chat-store.ts';
import { type ChatStoreConfig, loadChatStoreConfig } from '../config.ts';
import { ProjectionMismatchError, rebuildProjections } from '../projection-rebuild.ts';

/**
 * The operator's entry point to the projections (`threadline projections …` runs it), with
 * chat-store's environment (DATABASE_URL, NATS_URL, THREADLINE_NAMESPACE):
 *   rebuild [--drop-old]                rebuild into a new table set and switch (projection-rebuild.ts)
 *   dump [--organization ID] [--rows]   counts and digest of the canonical dump, or every line
 * Prints one JSON object on stdout; progress goes to stderr. Exit code 1 on a refused switch.
 * Like chat-store at startup it migrates the schema and declares the streams first, so it also
 * works where chat-store never ran.
 */
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    'drop-old': { type: 'boolean' },
    organization: { type: 'string' },
    rows: { type: 'boolean' },
  },
});
const config = loadChatStoreConfig(process.env);
const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

async function dump(db: Kysely<Database>): Promise<void> {
  const { lines, ...summary } = await dumpProjections(db, values.organization);
  print(values.rows ? { ...summary, lines } : summary);
}

async function rebuild(config: ChatStoreConfig): Promise<void> {
  const bus = await connectBus({ url: config.nats.url, name: 'chat-store-rebuild' });
  const subjects = createSubjects(config.namespace);
  try {
    await ensureStreams(bus.manager, subjects, { replicas: config.nats.streamReplicas });
    const keys = await openKeyRing({ url: config.postgres.url, masterKey: config.masterKey });
    const sealer = createBatchSealer(keys);
    const report = await rebuildProjections({
      bus,
      subjects,
      open: sealer.open,
      openAll: sealer.openAll,
      databaseUrl: config.postgres.url,
      schema,
      dropOld: values['drop-old'] === true,
      progress: (step, fields) => process.stderr.write(`${step} ${JSON.stringify(fields)}\n`),
    });
    await keys.close();
    print(report);
  } catch (error) {
    if (!(error instanceof ProjectionMismatchError)) throw error;
    print({ error: error.message, differences: error.differences });
    process.exitCode = 1;
  } finally {
    await bus.connection.drain();
  }
}

const command = positionals[0];
if (command === 'dump' || command === 'rebuild') {
  const db = createDatabase<Database>({ url: config.postgres.url, schema, poolSize: 1 });
  try {
    await migrate(db, schema, migrations);
    await (command === 'dump' ? dump(db) : rebuild(config));
  } finally {
    await db.destroy();
  }
} else {
  process.stderr.write(
    'usage: projections.ts rebuild [--drop-old] | dump [--organization ID] [--rows]\n',
  );
  process.exitCode = 2;
}
