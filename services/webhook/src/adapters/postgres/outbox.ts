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
import type { AttemptOutcome, WebhookDatabase } from './database.ts';
import { enabledLicenseOwners, registrationsForActions } from './registrations.ts';

type Db = Kysely<WebhookDatabase>;

interface ClaimedRow {
  id: string;
  url: string;
  body: string;
  attempts: number;
  created_at: Date;
  secret_key: string;
}

/** Postgres channel the outbox announces new deliveries on; every replica's workers listen. */
export const deliveriesChannel = 'webhook_deliveries';

export function createFanOutStore(db: Db): FanOutStore {
  return {
    inChatTransaction: (organizationId, chatId, work) =>
      db.transaction().execute(async (trx) => {
        const key = `${organizationId}/${chatId}`;
        await sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 1))`.execute(trx);
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
    enqueue: (deliveries) => enqueue(trx, deliveries),
  };
}

async function enqueue(
  trx: Transaction<WebhookDatabase>,
  deliveries: readonly NewDelivery[],
): Promise<number> {
  if (deliveries.length === 0) return 0;
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

export function createDeliveryQueue(db: Db): DeliveryQueue {
  return {
    async claimDue(limit, leaseMs) {
      // The CTE runs once, so the rows locked are exactly the rows updated.
      const rows = await sql<ClaimedRow>`
        WITH due AS (
          SELECT id FROM deliveries
           WHERE status = 'pending' AND next_attempt_at <= now()
           ORDER BY next_attempt_at
           LIMIT ${limit}
           FOR UPDATE SKIP LOCKED)
        UPDATE deliveries AS d
           SET attempts = d.attempts + 1,
               next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000}),
               updated_at = now()
          FROM due, registrations AS r
         WHERE d.id = due.id AND r.id = d.registration_id
        RETURNING d.id, d.url, d.body, d.attempts, d.created_at, r.secret_key`.execute(db);
      return rows.rows.map((row) => ({
        id: row.id,
        url: row.url,
        body: row.body,
        attempts: row.attempts,
        createdAt: row.created_at,
        secretKey: row.secret_key,
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
  };
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
