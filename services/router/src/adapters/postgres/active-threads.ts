import type { Kysely, Selectable, Transaction } from 'kysely';
import type { ActiveThread, ActiveThreadsPort, DueTimer } from '../../application/ports.ts';
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
import { isThreadClosed } from './organization-routing.ts';
import { readRoutingSettings } from './routing-settings.ts';
import { recordSystemCommands } from './system-commands.ts';

type Db = Kysely<RouterDatabase> | Transaction<RouterDatabase>;

/** How long a claimed unanswered-chat timer waits before it may be claimed again (a lease). */
const unansweredLeaseMs = 60_000;

/**
 * Each chat's active thread, its activity and timers (domain/thread-timers.ts). Changes are
 * read-modify-write under the row's lock, so concurrent notifications of one chat (two replicas)
 * each see the other's result; the due columns are always what the activity and settings give.
 */
export function createActiveThreads(db: Kysely<RouterDatabase>): ActiveThreadsPort {
  return {
    change: (organizationId, chatId, threadId, change) =>
      db.transaction().execute(async (trx) => {
        if (await isThreadClosed(trx, organizationId, chatId, threadId)) return;
        const row = await trx
          .selectFrom('active_threads')
          .selectAll()
          .where('organization_id', '=', organizationId)
          .where('chat_id', '=', chatId)
          .forUpdate()
          .executeTakeFirst();
        const current = row && toActiveThread(row);
        // A notification of an older thread arriving late changes nothing of the newer one.
        if (current && current.threadId !== threadId) {
          if (current.activity.startedAt > change.startedAt) return;
        }
        const same = current?.threadId === threadId ? current : undefined;
        const groupIds = change.groupIds ?? same?.groupIds ?? [0];
        const timers =
          same?.timers ??
          timerSettingsOf(
            await readRoutingSettings(trx, organizationId, settingsGroupOf(groupIds)),
          );
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
        await save(trx, next, timerDueTimes(activity, timers));
      }),

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
          await save(trx, { ...thread, timers }, timerDueTimes(thread.activity, timers));
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

async function save(trx: Db, thread: ActiveThread, due: TimerDueTimes): Promise<void> {
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
  await trx
    .insertInto('active_threads')
    .values({ organization_id: thread.organizationId, chat_id: thread.chatId, ...values })
    .onConflict((conflict) => conflict.columns(['organization_id', 'chat_id']).doUpdateSet(values))
    .execute();
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
