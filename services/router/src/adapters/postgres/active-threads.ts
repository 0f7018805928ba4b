import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type {
  ActiveThread,
  ActiveThreadChange,
  ActiveThreadsPort,
  DueTimer,
} from '../../application/ports.ts';
import { settingsGroupOf } from '../../domain/routing.decide.ts';
import {
  type FiredTimer,
  firedTimer,
  startActivity,
  type TimerDueTimes,
  type TimerSettings,
  timerDueTimes,
} from '../../domain/thread-timers.ts';
import type { ActiveThreadsTable, RouterDatabase } from './database.ts';
import { readRoutingSettings } from './routing-settings.ts';
import { recordSystemCommands } from './system-commands.ts';

type Db = Kysely<RouterDatabase> | Transaction<RouterDatabase>;

/** Unlocked compare-and-set rounds before a change takes the row's lock. */
const optimisticAttempts = 2;
/** Rounds in all before a change gives up (under the lock, only a deleted row loses one). */
const maxChangeAttempts = 10;

/** How long a claimed unanswered-chat timer waits before it may be claimed again (a lease). */
const unansweredLeaseMs = 60_000;

/**
 * Each chat's active thread, its activity and timers (domain/thread-timers.ts). Changes are
 * read-modify-write under the row's lock, so concurrent notifications of one chat (two replicas)
 * each see the other's result; the due columns are always what the activity and settings give.
 */
export function createActiveThreads(db: Kysely<RouterDatabase>): ActiveThreadsPort {
  return {
    async change(organizationId, chatId, threadId, change) {
      const target = { organizationId, chatId, threadId };
      for (let attempt = 1; attempt <= maxChangeAttempts; attempt += 1) {
        // Unlocked first (two round trips: the common case, one replica at a time on a chat);
        // after a lost round, under the row's lock, where the write cannot lose again.
        const applied =
          attempt <= optimisticAttempts
            ? await applyChange(db, target, change, false)
            : await db.transaction().execute((trx) => applyChange(trx, target, change, true));
        if (applied) return;
      }
      throw new Error(`active thread of chat ${chatId}: no change landed in ${maxChangeAttempts}`);
    },

    async forget(organizationId, chatId, threadId) {
      await db
        .deleteFrom('active_threads')
        .where('organization_id', '=', organizationId)
        .where('chat_id', '=', chatId)
        .where('thread_id', '=', threadId)
        .execute();
    },

    claimDueTimers: (now, limit, commandsFor) =>
      db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('active_threads')
          .selectAll()
          .where((eb) =>
            eb.or([
              eb('inactive_due_at', '<=', now),
              eb('customer_due_at', '<=', now),
              eb('unanswered_due_at', '<=', now),
            ]),
          )
          .limit(limit)
          .forUpdate()
          .skipLocked()
          .execute();
        const due: DueTimer[] = [];
        for (const row of rows) {
          const fired = firedTimer(storedDueTimes(row), now.getTime());
          if (!fired) continue;
          const timer = { ...toActiveThread(row), fired };
          await clearFired(trx, row, fired, now);
          due.push(timer);
        }
        // In the same transaction: a claimed timer is never lost between claiming and recording.
        const commands = await recordSystemCommands(trx, commandsFor(due), now);
        return { due, commands };
      }),

    async postponeUnanswered(organizationId, chatId, threadId, until) {
      await db
        .updateTable('active_threads')
        .set({ unanswered_due_at: until })
        .where('organization_id', '=', organizationId)
        .where('chat_id', '=', chatId)
        .where('thread_id', '=', threadId)
        .execute();
    },

    refreshTimers: (organizationId) =>
      db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('active_threads')
          .selectAll()
          .where('organization_id', '=', organizationId)
          .forUpdate()
          .execute();
        const byGroup = new Map<number, TimerSettings>();
        for (const row of rows) {
          const thread = toActiveThread(row);
          const group = settingsGroupOf(thread.groupIds);
          if (!byGroup.has(group)) {
            byGroup.set(
              group,
              timerSettingsOf(await readRoutingSettings(trx, organizationId, group)),
            );
          }
          const timers = byGroup.get(group)!;
          // Locked: the compare-and-set holds, and bumps the revision for changes in flight.
          await save(
            trx,
            { ...thread, timers },
            timerDueTimes(thread.activity, timers),
            row.revision,
          );
        }
      }),

    async find(organizationId, chatId) {
      const row = await db
        .selectFrom('active_threads')
        .selectAll()
        .where('organization_id', '=', organizationId)
        .where('chat_id', '=', chatId)
        .executeTakeFirst();
      return row && toActiveThread(row);
    },
  };
}

function timerSettingsOf(settings: TimerSettings): TimerSettings {
  const { chatInactiveAfterMin, transferChatAfterMin, customerTimeoutMin } = settings;
  return { chatInactiveAfterMin, transferChatAfterMin, customerTimeoutMin };
}

/**
 * Writes the thread's row. With `revision` (the row as it was read), only over that row; without
 * it, only when there is no row. False when another write came first.
 */
async function save(
  db: Db,
  thread: ActiveThread,
  due: TimerDueTimes,
  revision?: number,
): Promise<boolean> {
  const date = (time: number | undefined) => (time === undefined ? null : new Date(time));
  const values = {
    thread_id: thread.threadId,
    group_ids: thread.groupIds,
    customer_id: thread.customerId ?? null,
    continuous: thread.continuous,
    activity: JSON.stringify(thread.activity),
    timers: JSON.stringify(thread.timers),
    inactive_due_at: date(due.inactiveAt),
    unanswered_due_at: date(due.unansweredAt),
    customer_due_at: date(due.customerTimeoutAt),
  };
  const key = { organization_id: thread.organizationId, chat_id: thread.chatId };
  if (revision !== undefined) {
    const updated = await db
      .updateTable('active_threads')
      .set({ ...values, revision: revision + 1 })
      .where((eb) => eb.and({ ...key, revision }))
      .executeTakeFirst();
    return updated.numUpdatedRows > 0n;
  }
  const inserted = await db
    .insertInto('active_threads')
    .values({ ...key, ...values })
    // A row there already (another replica's first news of the chat): read it and fold into it.
    .onConflict((conflict) => conflict.columns(['organization_id', 'chat_id']).doNothing())
    .executeTakeFirst();
  return (inserted.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/**
 * Reads the chat's row, folds the change in and writes it over what was read. False when another
 * write came between (the caller tries again); true when written or when there is nothing to do.
 */
async function applyChange(
  db: Db,
  target: { organizationId: string; chatId: string; threadId: string },
  change: ActiveThreadChange,
  lock: boolean,
): Promise<boolean> {
  const { organizationId, chatId, threadId } = target;
  const { closed, row } = await readForChange(db, target, lock);
  if (closed) return true;
  const current = row && toActiveThread(row);
  // A notification of an older thread arriving late changes nothing of the newer one.
  if (current && current.threadId !== threadId && current.activity.startedAt > change.startedAt) {
    return true;
  }
  const same = current?.threadId === threadId ? current : undefined;
  const groupIds = change.groupIds ?? same?.groupIds ?? [0];
  const timers =
    same?.timers ??
    timerSettingsOf(await readRoutingSettings(db, organizationId, settingsGroupOf(groupIds)));
  const activity = change.evolve(same?.activity ?? startActivity(change.startedAt));
  const next = {
    organizationId,
    chatId,
    threadId,
    groupIds,
    customerId: change.customerId ?? same?.customerId,
    continuous: change.continuous ?? same?.continuous ?? false,
    activity,
    timers,
  };
  return save(db, next, timerDueTimes(activity, timers), row?.revision);
}

/**
 * The chat's active-thread row and whether `threadId` is closed, in one round trip (the hot path:
 * one notification per chat event).
 */
async function readForChange(
  db: Db,
  target: { organizationId: string; chatId: string; threadId: string },
  lock: boolean,
): Promise<{ closed: boolean; row: Selectable<ActiveThreadsTable> | undefined }> {
  const { organizationId, chatId, threadId } = target;
  const closed = sql<boolean>`exists (
    select 1 from closed_threads
    where organization_id = ${organizationId} and chat_id = ${chatId} and thread_id = ${threadId}
  )`;
  // Locked, the row must be read from the table itself (no outer join); a missing row is rare
  // there (it was just written by another), and then the closed check is read apart.
  const { rows } = lock
    ? await sql<Selectable<ActiveThreadsTable> & { closed: boolean }>`
        select *, ${closed} as closed from active_threads
        where organization_id = ${organizationId} and chat_id = ${chatId}
        for update`.execute(db)
    : await sql<Selectable<ActiveThreadsTable> & { closed: boolean }>`
        select active_threads.*, ${closed} as closed
        from (select 1) as one
        left join active_threads
          on active_threads.organization_id = ${organizationId}
          and active_threads.chat_id = ${chatId}`.execute(db);
  const [first] = rows;
  if (!first) {
    const { rows: alone } = await sql<{ closed: boolean }>`select ${closed} as closed`.execute(db);
    return { closed: alone[0]?.closed ?? false, row: undefined };
  }
  const { closed: isClosed, ...row } = first;
  return { closed: isClosed, row: row.chat_id === null ? undefined : row };
}

/**
 * A fired close is cleared: the thread closes, or new activity sets the timer again. A fired
 * hand-on is leased instead: it is retried if the router stops before handing the chat on.
 */
async function clearFired(
  trx: Db,
  row: Selectable<ActiveThreadsTable>,
  fired: FiredTimer,
  now: Date,
): Promise<void> {
  const column = (
    {
      inactive: 'inactive_due_at',
      customer_timeout: 'customer_due_at',
      unanswered: 'unanswered_due_at',
    } as const
  )[fired];
  const value = fired === 'unanswered' ? new Date(now.getTime() + unansweredLeaseMs) : null;
  await trx
    .updateTable('active_threads')
    .set({ [column]: value })
    .where('organization_id', '=', row.organization_id)
    .where('chat_id', '=', row.chat_id)
    .execute();
}

function storedDueTimes(row: Selectable<ActiveThreadsTable>): TimerDueTimes {
  return {
    inactiveAt: row.inactive_due_at?.getTime(),
    unansweredAt: row.unanswered_due_at?.getTime(),
    customerTimeoutAt: row.customer_due_at?.getTime(),
  };
}

export function toActiveThread(row: Selectable<ActiveThreadsTable>): ActiveThread {
  return {
    organizationId: row.organization_id,
    chatId: row.chat_id,
    threadId: row.thread_id,
    groupIds: row.group_ids,
    customerId: row.customer_id ?? undefined,
    continuous: row.continuous,
    activity: row.activity,
    timers: row.timers,
  };
}
