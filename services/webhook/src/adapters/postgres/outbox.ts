import { currentTraceparent } from '@threadline/runtime';
import { type Kysely, sql, type Transaction } from 'kysely';
import type {
  AttemptRecord,
  ClaimedDelivery,
  ConfigurationFanOutStore,
  DeliveryQueue,
  FanOutStore,
  FanOutUnit,
  NewDelivery,
} from '../../application/ports.ts';
import type { ChatSnapshot } from '../../domain/chat-snapshot.ts';
import { boundResponseBodyPrefix } from '../../domain/delivery-log.ts';
import { findBotOwners } from './bot-owners.ts';
import type { AttemptOutcome, WebhookDatabase } from './database.ts';
import {
  enabledLicenseOwners,
  hasRegistrationFor,
  registrationsForActions,
} from './registrations.ts';

type Db = Kysely<WebhookDatabase>;

interface ClaimedRow {
  id: string;
  url: string;
  body: string;
  attempts: number;
  created_at: Date;
  secret_key: string;
  action: string;
  traceparent: string | null;
}

/** Postgres channel the outbox announces new deliveries on; every replica's workers listen. */
export const deliveriesChannel = 'webhook_deliveries';

export function createFanOutStore(db: Db): FanOutStore {
  return {
    anyRegistrationFor: (organizationId, actions) =>
      hasRegistrationFor(db, organizationId, actions),
    inChatTransaction: (organizationId, chatId, work) =>
      db.transaction().execute(async (trx) => {
        await lockChain(trx, chainLockKey(organizationId, chatId));
        return work(createUnit(trx, organizationId, chatId));
      }),
  };
}

export function createConfigurationFanOutStore(db: Db): ConfigurationFanOutStore {
  return {
    // A transaction only so that the outbox's notification goes out at commit.
    inTransaction: (organizationId, work) =>
      db.transaction().execute((trx) =>
        work({
          registrationsFor: (actions) => registrationsForActions(trx, organizationId, actions),
          loadSnapshot: (chatId) => createUnit(trx, organizationId, chatId).loadSnapshot(),
          enabledLicenseOwners: (owners) => enabledLicenseOwners(trx, organizationId, owners),
          botOwners: (userIds) => findBotOwners(trx, organizationId, userIds),
          enqueue: (deliveries) => enqueue(trx, deliveries),
        }),
      ),
  };
}

function createUnit(
  trx: Transaction<WebhookDatabase>,
  organizationId: string,
  chatId: string,
): FanOutUnit {
  return {
    async loadSnapshot() {
      const row = await trx
        .selectFrom('chat_snapshots')
        .selectAll()
        .where('organization_id', '=', organizationId)
        .where('chat_id', '=', chatId)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        version: row.version,
        properties: (row.properties ?? undefined) as ChatSnapshot['properties'],
        userTypes: row.user_types as ChatSnapshot['userTypes'],
      };
    },
    async saveSnapshot(snapshot) {
      const values = {
        version: snapshot.version,
        properties: snapshot.properties === undefined ? null : JSON.stringify(snapshot.properties),
        user_types: JSON.stringify(snapshot.userTypes),
      };
      await trx
        .insertInto('chat_snapshots')
        .values({ organization_id: organizationId, chat_id: chatId, ...values })
        .onConflict((conflict) =>
          conflict.columns(['organization_id', 'chat_id']).doUpdateSet(values),
        )
        .execute();
    },
    registrationsFor: (actions) => registrationsForActions(trx, organizationId, actions),
    enabledLicenseOwners: (owners) => enabledLicenseOwners(trx, organizationId, owners),
    botOwners: (userIds) => findBotOwners(trx, organizationId, userIds),
    enqueue: (deliveries) => enqueue(trx, deliveries),
  };
}

async function enqueue(
  trx: Transaction<WebhookDatabase>,
  deliveries: readonly NewDelivery[],
): Promise<number> {
  if (deliveries.length === 0) return 0;
  // Sorted, so that two transactions never wait for each other's keys in opposite orders.
  const chains = [...new Set(deliveries.map((d) => chainLockKey(d.organizationId, d.orderingKey)))];
  for (const key of chains.sort()) await lockChain(trx, key);
  const traceparent = currentTraceparent() ?? null;
  const inserted = await trx
    .insertInto('deliveries')
    .values(
      deliveries.map((delivery) => ({
        id: delivery.id,
        registration_id: delivery.registrationId,
        organization_id: delivery.organizationId,
        action: delivery.action,
        url: delivery.url,
        body: delivery.body,
        ordering_key: delivery.orderingKey,
        traceparent,
      })),
    )
    .onConflict((conflict) => conflict.column('id').doNothing())
    .returning('id')
    .execute();
  if (inserted.length > 0) {
    // Delivered at commit, and only then: workers never wake to rows they cannot see yet.
    await sql`SELECT pg_notify(${deliveriesChannel}, '')`.execute(trx);
  }
  return inserted.length;
}

function chainLockKey(organizationId: string, orderingKey: string): string {
  return `${organizationId}/${orderingKey}`;
}

/**
 * Held until commit by every transaction that enqueues into a chain (and by a chat's fan-out from
 * its start: the chat's id is its ordering key). A chain's sequence numbers are therefore
 * committed in order, and a worker can never see a later delivery of a chain before an earlier
 * one that is still to commit.
 */
function lockChain(trx: Transaction<WebhookDatabase>, key: string): Promise<unknown> {
  return sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 1))`.execute(trx);
}

export function createDeliveryQueue(db: Db): DeliveryQueue {
  return {
    async claimDue(limit, leaseMs, endpoints) {
      const lease = sql`make_interval(secs => ${leaseMs / 1000})`;
      const busy = [...endpoints.inFlight].filter(([, count]) => count > 0);
      const saturated = busy.filter(([, count]) => count >= endpoints.limit).map(([url]) => url);
      // probe: half-opens circuits whose cool-down (or whose lost probe's lease) is over; one
      //   replica wins each row, and only its claim sends that endpoint's single probe.
      // scanned: due heads of chains (no earlier pending delivery of the same url, organization
      //   and ordering key: in flight, waiting for a retry or not yet sent), oldest first, from
      //   endpoints that are closed or being probed and that have room on this worker. Ordered
      //   rows are in flight one at a time, because their successors are not heads until settled.
      // ranked/due: at most the room each endpoint has left, locked with SKIP LOCKED. The CTEs
      //   run once, so the rows locked are exactly the rows updated.
      const rows = await sql<ClaimedRow>`
        WITH probe AS (
          UPDATE endpoints AS e
             SET status = 'half_open', retry_at = now() + ${lease},
                 revision = e.revision + 1, updated_at = now()
           WHERE e.status <> 'closed' AND e.retry_at <= now()
             AND EXISTS (SELECT 1 FROM deliveries AS d
                          WHERE d.url = e.url AND d.status = 'pending'
                            AND d.next_attempt_at <= now())
          RETURNING e.url),
        scanned AS (
          SELECT d.id, d.url, d.sequence, d.next_attempt_at
            FROM deliveries AS d
           WHERE d.status = 'pending' AND d.next_attempt_at <= now()
             AND d.url <> ALL(${saturated}::text[])
             AND (d.url IN (SELECT url FROM probe)
                  OR NOT EXISTS (SELECT 1 FROM endpoints AS e
                                  WHERE e.url = d.url AND e.status <> 'closed'))
             AND NOT EXISTS (SELECT 1 FROM deliveries AS p
                              WHERE p.status = 'pending' AND p.url = d.url
                                AND p.organization_id = d.organization_id
                                AND p.ordering_key = d.ordering_key
                                AND p.sequence < d.sequence)
           ORDER BY d.next_attempt_at
           LIMIT ${Math.max(4 * limit, 100)}),
        ranked AS (
          SELECT s.id, s.sequence, s.next_attempt_at,
                 row_number() OVER (PARTITION BY s.url ORDER BY s.next_attempt_at, s.sequence)
                   AS rank,
                 CASE WHEN s.url IN (SELECT url FROM probe) THEN 1
                      ELSE ${endpoints.limit} - coalesce(busy.count, 0) END AS room
            FROM scanned AS s
            LEFT JOIN unnest(${busy.map(([url]) => url)}::text[],
                             ${busy.map(([, count]) => count)}::integer[]) AS busy(url, count)
              ON busy.url = s.url),
        due AS (
          SELECT d.id FROM deliveries AS d JOIN ranked AS r ON r.id = d.id
           WHERE r.rank <= r.room AND d.status = 'pending' AND d.next_attempt_at <= now()
           ORDER BY r.next_attempt_at, r.sequence
           LIMIT ${limit}
           FOR UPDATE OF d SKIP LOCKED)
        UPDATE deliveries AS d
           SET attempts = d.attempts + 1,
               next_attempt_at = now() + ${lease},
               updated_at = now()
          FROM due, registrations AS r
         WHERE d.id = due.id AND r.id = d.registration_id
        RETURNING d.id, d.url, d.body, d.attempts, d.created_at, r.secret_key, d.action,
                  d.traceparent`.execute(db);
      return rows.rows.map((row) => ({
        id: row.id,
        url: row.url,
        body: row.body,
        attempts: row.attempts,
        createdAt: row.created_at,
        secretKey: row.secret_key,
        action: row.action,
        traceparent: row.traceparent,
      }));
    },
    async markDelivered(delivery, attempt) {
      await settle(db, delivery)
        .set({
          status: 'delivered',
          delivered_at: sql`now()`,
          last_error: null,
          updated_at: sql`now()`,
        })
        .$call((update) => settleLogged(db, update, delivery, 'delivered', attempt));
    },
    async scheduleRetry(delivery, delayMs, error, attempt) {
      await settle(db, delivery)
        .set({
          next_attempt_at: sql`now() + make_interval(secs => ${delayMs / 1000})`,
          last_error: error,
          updated_at: sql`now()`,
        })
        .$call((update) => settleLogged(db, update, delivery, 'retry', attempt));
    },
    async markDead(delivery, error, attempt) {
      await settle(db, delivery)
        .set({ status: 'dead', last_error: error, updated_at: sql`now()` })
        .$call((update) => settleLogged(db, update, delivery, 'dead', attempt));
    },
    holdChainBehind: (delivery) => holdChainBehind(db, delivery.id),
  };
}

/** The later pending deliveries of `id`'s chain, made due no earlier than it. */
async function holdChainBehind(db: Db, id: string): Promise<void> {
  await sql`
    UPDATE deliveries AS later
       SET next_attempt_at = head.next_attempt_at
      FROM deliveries AS head
     WHERE head.id = ${id} AND head.status = 'pending'
       AND later.status = 'pending' AND later.url = head.url
       AND later.organization_id = head.organization_id
       AND later.ordering_key = head.ordering_key
       AND later.sequence > head.sequence
       AND later.next_attempt_at < head.next_attempt_at`.execute(db);
}

/** An update that only lands if the row is still the claim we hold (same attempt, pending). */
function settle(db: Db, delivery: ClaimedDelivery) {
  return db
    .updateTable('deliveries')
    .where('id', '=', delivery.id)
    .where('attempts', '=', delivery.attempts)
    .where('status', '=', 'pending');
}

/**
 * Runs a settle update and logs the attempt in the same statement, so the log holds an attempt
 * exactly when its outcome was recorded (not when a newer claim made it stale).
 */
async function settleLogged(
  db: Db,
  update: ReturnType<typeof settle>,
  delivery: ClaimedDelivery,
  outcome: AttemptOutcome,
  attempt: AttemptRecord | undefined,
): Promise<void> {
  if (!attempt) {
    await update.execute();
    return;
  }
  await db
    .with('settled', () => update.returning('id'))
    .insertInto('delivery_attempts')
    .columns(attemptColumns)
    .expression((eb) =>
      eb
        .selectFrom('settled')
        .select([
          'settled.id',
          sql<number>`${delivery.attempts}::integer`.as('attempt'),
          sql<Date>`${attempt.startedAt}::timestamptz`.as('started_at'),
          sql<number>`${attempt.durationMs}::integer`.as('duration_ms'),
          sql<AttemptOutcome>`${outcome}::text`.as('outcome'),
          sql<number | null>`${attempt.statusCode ?? null}::integer`.as('status_code'),
          sql<string | null>`${attempt.error ?? null}::text`.as('error'),
          sql<string | null>`${boundResponseBodyPrefix(attempt.responseBodyPrefix)}::text`.as(
            'response_body_prefix',
          ),
        ]),
    )
    .execute();
}

const attemptColumns = [
  'delivery_id',
  'attempt',
  'started_at',
  'duration_ms',
  'outcome',
  'status_code',
  'error',
  'response_body_prefix',
] as const;

/** Deliveries still to send (due now or waiting for a retry): the outbox backlog. */
export async function countPending(db: Db): Promise<number> {
  const row = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Dead-letters up to `limit` pending deliveries pending for more than `maxAgeMs` (since they were
 * created, redelivered or replayed) that are neither
 * in flight nor waiting for a scheduled retry: with `maxAgeMs` the longest retry schedule, only
 * deliveries held back (an open circuit, their chat's earlier deliveries, a full endpoint) are
 * that old. Returns how many.
 */
export async function expireOverdue(db: Db, maxAgeMs: number, limit = 1_000): Promise<number> {
  const reason = `not delivered within ${Math.round(maxAgeMs / 60_000)} min`;
  const result = await db
    .updateTable('deliveries')
    .set({
      status: 'dead',
      last_error: sql<string>`concat_ws('; ', ${reason}::text, last_error)`,
      updated_at: sql`now()`,
    })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('deliveries')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', sql<Date>`now()`)
        .where('pending_since', '<', sql<Date>`now() - make_interval(secs => ${maxAgeMs / 1000})`)
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Deletes up to `limit` delivered or dead rows last touched more than `retentionMs` ago. A batch
 * redelivered after that (a consumer reset) would send its webhooks again; receivers still drop
 * them by X-Threadline-Webhook-Id.
 */
export async function pruneSettled(db: Db, retentionMs: number, limit = 1_000): Promise<number> {
  const result = await db
    .deleteFrom('deliveries')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('deliveries')
        .select('id')
        .where('status', '<>', 'pending')
        .where('updated_at', '<', sql<Date>`now() - make_interval(secs => ${retentionMs / 1000})`)
        .limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
