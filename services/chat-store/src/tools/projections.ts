import { parseArgs } from 'node:util';
import { connectBus, createSubjects } from '@threadline/bus';
import { createDatabase } from '@threadline/postgres';
import type { Database } from '../adapters/postgres/database.ts';
import { dumpProjections } from '../adapters/postgres/projection-dump.ts';
import { schema } from '../chat-store.ts';
import { loadChatStoreConfig } from '../config.ts';
import { ProjectionMismatchError, rebuildProjections } from '../projection-rebuild.ts';

/**
 * The operator's entry point to the projections (`threadline projections …` runs it), with
 * chat-store's environment (DATABASE_URL, NATS_URL, THREADLINE_NAMESPACE):
 *   rebuild [--drop-old]            rebuild into a new table set and switch (projection-rebuild.ts)
 *   dump [--organization ID] [--rows]   counts and digest of the canonical dump, or every line
 * Prints one JSON object on stdout; progress goes to stderr. Exit code 1 on a refused switch.
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

if (positionals[0] === 'dump') {
  const db = createDatabase<Database>({ url: config.postgres.url, schema, poolSize: 1 });
  try {
    const { lines, ...summary } = await dumpProjections(db, values.organization);
    print(values.rows ? { ...summary, lines } : summary);
  } finally {
    await db.destroy();
  }
} else if (positionals[0] === 'rebuild') {
  const bus = await connectBus({ url: config.nats.url, name: 'chat-store-rebuild' });
  try {
    print(
      await rebuildProjections({
        bus,
        subjects: createSubjects(config.namespace),
        databaseUrl: config.postgres.url,
        schema,
        dropOld: values['drop-old'] === true,
        progress: (step, fields) => process.stderr.write(`${step} ${JSON.stringify(fields)}\n`),
      }),
    );
  } catch (error) {
    if (!(error instanceof ProjectionMismatchError)) throw error;
    print({ error: error.message, differences: error.differences });
    process.exitCode = 1;
  } finally {
    await bus.connection.drain();
  }
} else {
  process.stderr.write(
    'usage: projections.ts rebuild [--drop-old] | dump [--organization ID] [--rows]\n',
  );
  process.exitCode = 2;
}
