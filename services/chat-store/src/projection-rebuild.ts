import type { Bus, Subjects } from '@threadline/bus';
import { createDatabase, type Kysely, migrate, sql } from '@threadline/postgres';
import type { Transaction } from 'kysely';
import { projectorAckFloor } from './adapters/nats/projector.ts';
import { chatStreamTail, replayChatBatches } from './adapters/nats/replay.ts';
import { dumpDifferences } from './adapters/postgres/canonical-dump.ts';
import type { Database } from './adapters/postgres/database.ts';
import { migrations } from './adapters/postgres/migrations/index.ts';
import {
  type ChatKey,
  chatsOfLines,
  dumpProjections,
  readChatsDump,
  readProjectionDump,
} from './adapters/postgres/projection-dump.ts';
import {
  analyzeTables,
  dropSchema,
  switchTableSets,
} from './adapters/postgres/projection-tables.ts';
import {
  applyBatch,
  createProjectionWriter,
  writersLockKey,
} from './adapters/postgres/projection-writer.ts';
import { createBoundedKeyedRunner } from './application/bounded-keyed-runner.ts';
import type { ChatBatch } from './application/ports.ts';

export interface RebuildOptions {
  bus: Bus;
  subjects: Subjects;
  databaseUrl: string;
  /** The schema chat-store serves from (`chat_store`). */
  schema: string;
  /**
   * Opens a stored batch (customers' personal data is sealed in the stream): the projections
   * fold opened batches, as the live projector does.
   */
  open: (batch: ChatBatch) => Promise<ChatBatch>;
  /** Drop the replaced tables once switched, rather than keep them in `<schema>_previous`. */
  dropOld?: boolean;
  /** Told each step as it ends (the tool writes it to stderr); the rebuild waits for it. */
  progress?: (step: RebuildStep, fields: Record<string, unknown>) => unknown;
}

export type RebuildStep = 'replayed' | 'caught up' | 'compared' | 'switched';

export interface RebuildReport {
  /** Batches folded into the new set: the first pass, the catch-up passes, and while paused. */
  batches: { replayed: number; caughtUp: number; paused: number };
  /** Batches the old set still lacked when the writers paused, applied to it before comparing. */
  oldSetCaughtUp: number;
  /** Chats compared again while the writers waited: changed since, or different before. */
  chatsComparedInPause: number;
  /** Rows per table of the live set after the switch. */
  counts: Record<string, number>;
  /** Digests of the live set just before the pause and right after the switch. */
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
 * switches. Folds the whole stream, catches up with the tail, compares the canonical dumps of
 * both sets; then pauses the live writers (their shared advisory lock, taken exclusively),
 * folds the last batches, brings the old set up to the same stream position, compares again
 * the chats that changed since or differed, and moves the new tables in and the old ones out in
 * the same transaction. Refuses to switch on any difference.
 *
 * Why comparing only those chats in the pause is enough: a chat equal in both sets at the first
 * comparison is the fold of its batches up to the stream position P the new set had reached,
 * and afterwards either set changes it only by applying a batch after P, which the pause folds.
 */
export async function rebuildProjections(options: RebuildOptions): Promise<RebuildReport> {
  const started = performance.now();
  const progress: Progress = (step, fields) =>
    options.progress?.(step, { ...fields, elapsedMs: Math.round(performance.now() - started) });
  const schemas = {
    live: options.schema,
    rebuilt: `${options.schema}_rebuild`,
    previous: `${options.schema}_previous`,
  };
  const open = (schema: string, poolSize: number) =>
    createDatabase<Database>({ url: options.databaseUrl, schema, poolSize });
  const sets = {
    ...options,
    live: open(schemas.live, 3),
    rebuilt: open(schemas.rebuilt, foldConcurrency),
  };
  try {
    const report = await onlyOneRebuild(sets.live, () => rebuildAndSwitch(sets, schemas, progress));
    return { ...report, durationMs: Math.round(performance.now() - started) };
  } finally {
    await Promise.all([sets.live.destroy(), sets.rebuilt.destroy()]);
  }
}

type Progress = (step: RebuildStep, fields: Record<string, unknown>) => unknown;

interface TableSets extends RebuildOptions {
  live: Kysely<Database>;
  rebuilt: Kysely<Database>;
}

type Schemas = Parameters<typeof switchTableSets>[1];

async function rebuildAndSwitch(
  sets: TableSets,
  schemas: Schemas,
  progress: Progress,
): Promise<Omit<RebuildReport, 'durationMs'>> {
  const { live, rebuilt } = sets;
  await dropSchema(live, schemas.rebuilt);
  await migrate(rebuilt, schemas.rebuilt, migrations);
  const replayed = await foldUntilNearTail(sets, progress);
  await analyzeTables(rebuilt, schemas.rebuilt);

  const before = await dumpProjections(live);
  const newSet = await readProjectionDump(rebuilt);
  const differing = dumpDifferences(before, newSet, Number.POSITIVE_INFINITY);
  const suspects = new ChatSet(chatsOfLines([...differing.onlyBefore, ...differing.onlyAfter]));
  await progress('compared', { chats: before.counts.chats, differing: suspects.size });

  const pauseStarted = performance.now();
  const paused = await live.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${writersLockKey})`.execute(trx);
    return switchWhenEqual(trx, sets, { from: replayed.through + 1, suspects, schemas });
  });
  const pauseMs = Math.round(performance.now() - pauseStarted);
  await progress('switched', { pauseMs });

  await dropSchema(live, schemas.rebuilt);
  if (sets.dropOld) await dropSchema(live, schemas.previous);
  const after = await dumpProjections(live);
  return {
    batches: { replayed: replayed.first, caughtUp: replayed.caughtUp, paused: paused.batches },
    oldSetCaughtUp: paused.oldSetCaughtUp,
    chatsComparedInPause: suspects.size,
    counts: after.counts,
    digest: { before: before.digest, after: after.digest },
    pauseMs,
    previousSchema: sets.dropOld ? null : schemas.previous,
  };
}

/** Two rebuilds at once would build into the same schema: the second one is refused. */
async function onlyOneRebuild<T>(db: Kysely<Database>, rebuild: () => Promise<T>): Promise<T> {
  const key = sql`hashtext('chat_store.projection_rebuild')`;
  return db.connection().execute(async (connection) => {
    const { rows } = await sql<{
      locked: boolean;
    }>`SELECT pg_try_advisory_lock(${key}) AS locked`.execute(connection);
    if (!rows[0]?.locked) throw new Error('another projection rebuild is running');
    try {
      return await rebuild();
    } finally {
      await sql`SELECT pg_advisory_unlock(${key})`.execute(connection);
    }
  });
}

/** The first pass over the whole stream, then catch-up passes until little is left. */
async function foldUntilNearTail(sets: TableSets, progress: Progress) {
  let through = await chatStreamTail(sets.bus, sets.subjects);
  const first = await foldIntoNewSet(sets, { from: 1, to: through });
  await progress('replayed', { batches: first.batches, through });
  let caughtUp = 0;
  for (let pass = 0; pass < maxCatchUpPasses; pass++) {
    const from = through + 1;
    through = await chatStreamTail(sets.bus, sets.subjects);
    const round = await foldIntoNewSet(sets, { from, to: through });
    caughtUp += round.batches;
    await progress('caught up', { batches: round.batches, through });
    if (round.batches <= smallEnoughToPause) break;
  }
  return { first: first.batches, caughtUp, through };
}

/** Folds a range of the stream into the new set, several chats at once, each in order. */
async function foldIntoNewSet(
  sets: TableSets,
  range: { from: number; to: number },
  onBatch: (batch: ChatBatch) => void = () => {},
) {
  const writer = createProjectionWriter(sets.rebuilt, { pausable: false });
  const runner = createBoundedKeyedRunner(foldConcurrency);
  const replayed = await replayChatBatches(
    sets.bus,
    sets.subjects,
    (batch) => {
      onBatch(batch);
      return runner.submit(`${batch.organizationId} ${batch.chatId}`, async () => {
        // In stream order every version follows the one before: a gap is a lost batch.
        if ((await writer.apply(await sets.open(batch))) === 'gap')
          throw new Error(
            `batch ${batch.version} of chat ${batch.chatId} came without the one before`,
          );
      });
    },
    range,
  );
  await runner.drain();
  return replayed;
}

/** While the live writers wait: the last batches, the comparison, the switch. */
async function switchWhenEqual(
  trx: Transaction<Database>,
  sets: TableSets,
  pause: { from: number; suspects: ChatSet; schemas: Schemas },
) {
  const { bus, subjects } = sets;
  const { suspects } = pause;
  const to = await chatStreamTail(bus, subjects);
  const last = await foldIntoNewSet(sets, { from: pause.from, to }, (batch) => suspects.add(batch));
  const floor = await projectorAckFloor(bus, subjects);
  const old = await replayChatBatches(
    bus,
    subjects,
    async (batch) => {
      suspects.add(batch);
      return applyBatch(trx, await sets.open(batch));
    },
    { from: floor + 1, to },
  );
  const chats = suspects.list();
  const [oldChats, newChats] = [
    await readChatsDump(trx, chats),
    await readChatsDump(sets.rebuilt, chats),
  ];
  if (oldChats.digest !== newChats.digest)
    throw new ProjectionMismatchError(dumpDifferences(oldChats, newChats));
  await switchTableSets(trx, pause.schemas);
  return { batches: last.batches, oldSetCaughtUp: old.batches };
}

/** Chats by organization and id, each once. */
class ChatSet {
  readonly #chats = new Map<string, ChatKey>();
  constructor(chats: ChatKey[] = []) {
    for (const chat of chats) this.add(chat);
  }
  add(chat: ChatKey): void {
    this.#chats.set(`${chat.organizationId} ${chat.chatId}`, {
      organizationId: chat.organizationId,
      chatId: chat.chatId,
    });
  }
  list(): ChatKey[] {
    return [...this.#chats.values()];
  }
  get size(): number {
    return this.#chats.size;
  }
}
