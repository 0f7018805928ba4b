import type { Bus, Subjects } from '@threadline/bus';
import { createDatabase, type Kysely, migrate, sql } from '@threadline/postgres';
import type { Transaction } from 'kysely';
import { projectorAckFloor } from './adapters/nats/projector.ts';
import {
  chatStreamTail,
  replayChatBatchChunks,
  replayChatBatches,
} from './adapters/nats/replay.ts';
import { dumpDifferences } from './adapters/postgres/canonical-dump.ts';
import type { Database } from './adapters/postgres/database.ts';
import { migrations } from './adapters/postgres/migrations/index.ts';
import { createBulkProjectionWriter } from './adapters/postgres/projection-bulk.ts';
import { differingChats } from './adapters/postgres/projection-compare.ts';
import {
  type ChatKey,
  dumpProjections,
  readChatsDump,
} from './adapters/postgres/projection-dump.ts';
import {
  analyzeTables,
  createIndexes,
  dropSchema,
  dropSecondaryIndexes,
  switchTableSets,
} from './adapters/postgres/projection-tables.ts';
import { applyBatch, writersLockKey } from './adapters/postgres/projection-writer.ts';
import type { ChatBatch } from './application/ports.ts';
import { ProjectionFold } from './domain/projections/projection-fold.ts';

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
  /** `open` over many batches at once (one key lookup for them all); `open` each when absent. */
  openAll?: (batches: readonly ChatBatch[]) => Promise<ChatBatch[]>;
  /** Drop the replaced tables once switched, rather than keep them in `<schema>_previous`. */
  dropOld?: boolean;
  /**
   * Batches per fetch (2 000), and chats the fold holds between fetches (50 000) rather than
   * reads back from the new set: tests make them small to cross fetches and read back.
   */
  fold?: { batchesPerFetch?: number; maxHeldChats?: number };
  /** Told each step as it ends (the tool writes it to stderr); the rebuild waits for it. */
  progress?: (step: RebuildStep, fields: Record<string, unknown>) => unknown;
}

export type RebuildStep = 'replayed' | 'indexed' | 'caught up' | 'compared' | 'switched';

/**
 * Where a rebuild's time went, in milliseconds, step by step (they add up to `durationMs`, but
 * for the lock and pool handling around them). `replay` is the first pass over the stream and
 * grows with it; `replayParts` splits it (waiting for fetches, opening sealed data, folding,
 * writing; writing overlaps the next fetch, so the parts can add up to more than `replay`).
 */
export interface RebuildPhases {
  setup: number;
  replay: number;
  replayParts: { reading: number; opening: number; folding: number; writing: number };
  indexing: number;
  catchUp: number;
  comparing: number;
  pause: number;
  finishing: number;
}

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
  phases: RebuildPhases;
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
// Batches read, opened, folded and written together: a fetch's round trip, a key lookup and a
// statement per table then weigh little per batch.
const batchesPerFetch = 2_000;

/**
 * Rebuilds the projections from the chat stream into a second table set (schema
 * `<schema>_rebuild`, same migrations, same fold) while the live set keeps serving, then
 * switches. Folds the whole stream (in memory, written in bulk, the secondary indexes built
 * after), catches up with the tail, compares both sets in Postgres; then pauses the live
 * writers (their shared advisory lock, taken exclusively), folds the last batches, brings the
 * old set up to the same stream position, compares again the chats that changed since or
 * differed, and moves the new tables in and the old ones out in the same transaction. Refuses to switch on any difference.
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
    rebuilt: open(schemas.rebuilt, 4),
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

/** The new set's fold, held from one pass to the next, and its writer. */
interface NewSet {
  fold: ProjectionFold;
  writer: ReturnType<typeof createBulkProjectionWriter>;
  openAll: (batches: readonly ChatBatch[]) => Promise<ChatBatch[]>;
}

type Schemas = Parameters<typeof switchTableSets>[1];

async function rebuildAndSwitch(
  sets: TableSets,
  schemas: Schemas,
  progress: Progress,
): Promise<Omit<RebuildReport, 'durationMs'>> {
  const { live, rebuilt } = sets;
  const clock = phaseClock();
  await dropSchema(live, schemas.rebuilt);
  await migrate(rebuilt, schemas.rebuilt, migrations);
  const indexes = await dropSecondaryIndexes(rebuilt, schemas.rebuilt);
  const newSet: NewSet = {
    fold: new ProjectionFold({ maxHeldChats: sets.fold?.maxHeldChats }),
    writer: createBulkProjectionWriter(rebuilt),
    openAll: sets.openAll ?? ((batches) => Promise.all(batches.map(sets.open))),
  };
  const setup = clock.lap();

  let through = await chatStreamTail(sets.bus, sets.subjects);
  const first = await foldIntoNewSet(sets, newSet, { from: 1, to: through });
  const replay = clock.lap();
  await progress('replayed', { batches: first.batches, through, ms: Math.round(replay) });
  await createIndexes(rebuilt, indexes);
  await analyzeTables(rebuilt, schemas.rebuilt);
  const indexing = clock.lap();
  await progress('indexed', { indexes: indexes.length, ms: Math.round(indexing) });
  const caughtUp = await catchUp(sets, newSet, through, progress);
  through = caughtUp.through;
  const catchUpMs = clock.lap();

  const [before, differing] = await Promise.all([
    dumpProjections(live),
    differingChats(live, schemas),
  ]);
  const suspects = new ChatSet(differing);
  const comparing = clock.lap();
  await progress('compared', { chats: before.counts.chats, differing: suspects.size });

  const paused = await live.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${writersLockKey})`.execute(trx);
    return switchWhenEqual(trx, sets, newSet, { from: through + 1, suspects, schemas });
  });
  const pause = clock.lap();
  const pauseMs = Math.round(pause);
  await progress('switched', { pauseMs });

  await dropSchema(live, schemas.rebuilt);
  if (sets.dropOld) await dropSchema(live, schemas.previous);
  const after = await dumpProjections(live);
  const finishing = clock.lap();
  const round = (ms: number) => Math.round(ms);
  const parts = first.parts;
  return {
    batches: { replayed: first.batches, caughtUp: caughtUp.batches, paused: paused.batches },
    oldSetCaughtUp: paused.oldSetCaughtUp,
    chatsComparedInPause: suspects.size,
    counts: after.counts,
    digest: { before: before.digest, after: after.digest },
    pauseMs,
    phases: {
      setup: round(setup),
      replay: round(replay),
      replayParts: {
        reading: round(parts.reading),
        opening: round(parts.opening),
        folding: round(parts.folding),
        writing: round(parts.writing),
      },
      indexing: round(indexing),
      catchUp: round(catchUpMs),
      comparing: round(comparing),
      pause: pauseMs,
      finishing: round(finishing),
    },
    previousSchema: sets.dropOld ? null : schemas.previous,
  };
}

/** Milliseconds since the last lap. */
function phaseClock() {
  let last = performance.now();
  return {
    lap(): number {
      const now = performance.now();
      const elapsed = now - last;
      last = now;
      return elapsed;
    },
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

/** Catch-up passes after the first one, until a pass has little left for the pause. */
async function catchUp(sets: TableSets, newSet: NewSet, through: number, progress: Progress) {
  let caughtUp = 0;
  for (let pass = 0; pass < maxCatchUpPasses; pass++) {
    const from = through + 1;
    through = await chatStreamTail(sets.bus, sets.subjects);
    const round = await foldIntoNewSet(sets, newSet, { from, to: through });
    caughtUp += round.batches;
    await progress('caught up', { batches: round.batches, through });
    if (round.batches <= smallEnoughToPause) break;
  }
  return { batches: caughtUp, through };
}

/**
 * Folds a range of the stream into the new set: a fetch of batches at a time, opened together,
 * folded in memory in stream order (each chat's versions in order) and written as a few
 * statements, while the next fetch is read and folded.
 */
async function foldIntoNewSet(
  sets: TableSets,
  newSet: NewSet,
  range: { from: number; to: number },
  onBatch: (batch: ChatBatch) => void = () => {},
) {
  const { fold, writer } = newSet;
  const parts = { reading: 0, opening: 0, folding: 0, writing: 0 };
  let writing: Promise<void> = Promise.resolve();
  const { lap } = phaseClock();
  const replayed = await replayChatBatchChunks(
    sets.bus,
    sets.subjects,
    async (stored) => {
      parts.reading += lap();
      // The fold reads a batch's events only: the requester and the notifications (sealed too)
      // are left out rather than opened for nothing.
      const batches = await newSet.openAll(stored.map(eventsOnly));
      parts.opening += lap();
      const needed = fold.rowsNeededBy(batches);
      if (needed.chats.length || needed.events.length) {
        // What the fold reads back must include what it wrote last.
        await writing;
        fold.seed(await writer.read(needed));
      }
      for (const batch of batches) {
        onBatch(batch);
        // In stream order every version follows the one before: a gap is a lost batch.
        if (fold.apply(batch) === 'gap')
          throw new Error(
            `batch ${batch.version} of chat ${batch.chatId} came without the one before`,
          );
      }
      const rows = fold.takeChanges();
      parts.folding += lap();
      await writing;
      const started = performance.now();
      writing = writer.write(rows).then(() => {
        parts.writing += performance.now() - started;
      });
      // Awaited with the next fetch or at the end; a failure must not go unhandled meanwhile.
      writing.catch(() => undefined);
      lap();
    },
    range,
    sets.fold?.batchesPerFetch ?? batchesPerFetch,
  );
  await writing;
  return { ...replayed, parts };
}

function eventsOnly(batch: ChatBatch): ChatBatch {
  return { ...batch, requester: undefined, notifications: [] };
}

/** While the live writers wait: the last batches, the comparison, the switch. */
async function switchWhenEqual(
  trx: Transaction<Database>,
  sets: TableSets,
  newSet: NewSet,
  pause: { from: number; suspects: ChatSet; schemas: Schemas },
) {
  const { bus, subjects } = sets;
  const { suspects } = pause;
  const to = await chatStreamTail(bus, subjects);
  const last = await foldIntoNewSet(sets, newSet, { from: pause.from, to }, (batch) =>
    suspects.add(batch),
  );
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
