import type { Bus, Subjects } from '@threadline/bus';
import { createDatabase, migrate, sql } from '@threadline/postgres';
import { projectorAckFloor } from './adapters/nats/projector.ts';
import { chatStreamTail, replayChatBatches } from './adapters/nats/replay.ts';
import { type CanonicalDump, dumpDifferences } from './adapters/postgres/canonical-dump.ts';
import type { Database } from './adapters/postgres/database.ts';
import { migrations } from './adapters/postgres/migrations/index.ts';
import { dumpProjections, readProjectionDump } from './adapters/postgres/projection-dump.ts';
import { dropSchema, switchTableSets } from './adapters/postgres/projection-tables.ts';
import {
  applyBatch,
  createProjectionWriter,
  writersLockKey,
} from './adapters/postgres/projection-writer.ts';
import { createBoundedKeyedRunner } from './application/bounded-keyed-runner.ts';

export interface RebuildOptions {
  bus: Bus;
  subjects: Subjects;
  databaseUrl: string;
  /** The schema chat-store serves from (`chat_store`). */
  schema: string;
  /** Drop the replaced tables once switched, rather than keep them in `<schema>_previous`. */
  dropOld?: boolean;
  /** Told each step as it ends (the tool writes it to stderr); the rebuild waits for it. */
  progress?: (step: RebuildStep, fields: Record<string, unknown>) => unknown;
}

export type RebuildStep = 'dumped' | 'replayed' | 'caught up' | 'switched';

export interface RebuildReport {
  /** Batches folded into the new set: the first pass, the catch-up passes, and while paused. */
  batches: { replayed: number; caughtUp: number; paused: number };
  /** Batches the old set still lacked when the writers paused, applied to it before comparing. */
  oldSetCaughtUp: number;
  counts: Record<string, number>;
  digest: { before: string; after: string };
  durationMs: number;
  pauseMs: number;
  /** Where the replaced tables are kept (`null` with `dropOld`). */
  previousSchema: string | null;
}

/** The rebuilt set differed from the live one: nothing was switched. */
export class ProjectionMismatchError extends Error {
  override name = 'ProjectionMismatchError';
  constructor(readonly differences: { onlyBefore: string[]; onlyAfter: string[] }) {
    super('the rebuilt projections differ from the live ones; the live set was kept');
  }
}

// Catch-up passes stop once a pass has this few batches left: the pause applies the rest.
const smallEnoughToPause = 200;
const maxCatchUpPasses = 10;
// Chats folded side by side into the new set (each chat's batches in order): a batch is a few
// round trips, so the replay waits on latency more than on either process.
const foldConcurrency = 4;

/**
 * Rebuilds the projections from the chat stream into a second table set (schema
 * `<schema>_rebuild`, same migrations, same fold) while the live set keeps serving, then
 * switches: folds the whole stream, catches up with the tail, pauses the live writers (their
 * shared advisory lock, taken exclusively), folds the last batches, brings the old set up to
 * the same stream position, compares the canonical dumps of both, and moves the new tables in
 * and the old ones out in the same transaction. Refuses to switch on any difference.
 */
export async function rebuildProjections(options: RebuildOptions): Promise<RebuildReport> {
  const started = performance.now();
  const { bus, subjects } = options;
  const progress = (step: RebuildStep, fields: Record<string, unknown>) =>
    options.progress?.(step, { ...fields, elapsedMs: Math.round(performance.now() - started) });
  const schemas = {
    live: options.schema,
    rebuilt: `${options.schema}_rebuild`,
    previous: `${options.schema}_previous`,
  };
  const live = createDatabase<Database>({
    url: options.databaseUrl,
    schema: schemas.live,
    poolSize: 2,
  });
  const rebuilt = createDatabase<Database>({
    url: options.databaseUrl,
    schema: schemas.rebuilt,
    poolSize: foldConcurrency,
  });
  try {
    const before = await dumpProjections(live);
    await progress('dumped', before.counts);
    await dropSchema(live, schemas.rebuilt);
    await migrate(rebuilt, schemas.rebuilt, migrations);
    const writer = createProjectionWriter(rebuilt, { pausable: false });
    const fold = async (range: { from: number; to: number }) => {
      const runner = createBoundedKeyedRunner(foldConcurrency);
      const replayed = await replayChatBatches(
        bus,
        subjects,
        (batch) =>
          runner.submit(`${batch.organizationId} ${batch.chatId}`, () => writer.apply(batch)),
        range,
      );
      await runner.drain();
      return replayed;
    };

    let to = await chatStreamTail(bus, subjects);
    const first = await fold({ from: 1, to });
    await progress('replayed', { batches: first.batches, through: to });
    let caughtUp = 0;
    for (let pass = 0; pass < maxCatchUpPasses; pass++) {
      const from = to + 1;
      to = await chatStreamTail(bus, subjects);
      const round = await fold({ from, to });
      caughtUp += round.batches;
      await progress('caught up', { batches: round.batches, through: to });
      if (round.batches <= smallEnoughToPause) break;
    }

    const pauseStarted = performance.now();
    const paused = await live.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${writersLockKey})`.execute(trx);
      const from = to + 1;
      to = await chatStreamTail(bus, subjects);
      const last = await fold({ from, to });
      const floor = await projectorAckFloor(bus, subjects);
      const old = await replayChatBatches(bus, subjects, (batch) => applyBatch(trx, batch), {
        from: floor + 1,
        to,
      });
      const [oldSet, newSet] = [await readProjectionDump(trx), await readProjectionDump(rebuilt)];
      if (oldSet.digest !== newSet.digest)
        throw new ProjectionMismatchError(dumpDifferences(oldSet, newSet));
      await switchTableSets(trx, schemas);
      return { batches: last.batches, oldSetCaughtUp: old.batches, after: newSet };
    });
    const pauseMs = performance.now() - pauseStarted;
    await progress('switched', { pauseMs: Math.round(pauseMs) });

    await dropSchema(live, schemas.rebuilt);
    if (options.dropOld) await dropSchema(live, schemas.previous);
    return report(before, paused.after, {
      batches: { replayed: first.batches, caughtUp, paused: paused.batches },
      oldSetCaughtUp: paused.oldSetCaughtUp,
      durationMs: performance.now() - started,
      pauseMs,
      previousSchema: options.dropOld ? null : schemas.previous,
    });
  } finally {
    await Promise.all([live.destroy(), rebuilt.destroy()]);
  }
}

function report(
  before: CanonicalDump,
  after: CanonicalDump,
  rest: Omit<RebuildReport, 'counts' | 'digest'>,
): RebuildReport {
  return {
    ...rest,
    counts: after.counts,
    digest: { before: before.digest, after: after.digest },
    durationMs: Math.round(rest.durationMs),
    pauseMs: Math.round(rest.pauseMs),
  };
}
