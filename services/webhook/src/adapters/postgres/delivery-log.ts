import { readingOrder } from '@threadline/protocol';
import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { DeliveryLog, WebhookScope } from '../../application/ports.ts';
import type { LoggedAttempt, LoggedDelivery, TimeRange } from '../../domain/delivery-log.ts';
import type { WebhookDatabase } from './database.ts';
import { deliveriesChannel } from './outbox.ts';

type Db = Kysely<WebhookDatabase>;

/** RFC 3339 in UTC with microseconds, the precision Postgres keeps (and page cursors need). */
function rfc3339(column: string): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** Which deliveries to send again; always within a scope. */
type Selection = { deliveryId: string } | ({ webhookId: string } & TimeRange);

export function createDeliveryLog(db: Db): DeliveryLog {
  return {
    async hasWebhook(scope, webhookId) {
      const row = await db
        .selectFrom('registrations')
        .select('id')
        .where('id', '=', webhookId)
        .where('organization_id', '=', scope.organizationId)
        .$if(scope.ownerClientId !== undefined, (query) =>
          query.where('owner_client_id', '=', scope.ownerClientId ?? ''),
        )
        .executeTakeFirst();
      return row !== undefined;
    },
    async listDeliveries(page, limit) {
      const { filters, cursor } = page;
      const order = readingOrder(page.sortOrder, page.direction);
      const rows = await db
        .selectFrom('deliveries')
        .select([
          'id',
          'action',
          'status',
          'attempts',
          'last_error',
          'body',
          rfc3339('created_at').as('created_at'),
          rfc3339('delivered_at').as('delivered_at'),
          rfc3339('next_attempt_at').as('next_attempt_at'),
        ])
        .where('registration_id', '=', filters.webhookId)
        .$if(filters.status !== undefined, (query) =>
          query.where('status', '=', filters.status ?? 'pending'),
        )
        .$if(filters.from !== undefined, (query) =>
          query.where('created_at', '>=', sql<Date>`${filters.from}::timestamptz`),
        )
        .$if(filters.to !== undefined, (query) =>
          query.where('created_at', '<', sql<Date>`${filters.to}::timestamptz`),
        )
        .$if(cursor !== undefined, (query) =>
          query.where(
            sql<SqlBool>`(created_at, id) ${sql.raw(order === 'desc' ? '<' : '>')} (${cursor?.[0]}::timestamptz, ${cursor?.[1]})`,
          ),
        )
        .orderBy('deliveries.created_at', order)
        .orderBy('id', order)
        .limit(limit)
        .execute();
      const attempts = await attemptsOf(
        db,
        rows.map((row) => row.id),
      );
      return rows.map(
        (row): LoggedDelivery => ({
          id: row.id,
          action: row.action,
          status: row.status,
          createdAt: row.created_at,
          deliveredAt: row.delivered_at,
          attempts: row.attempts,
          nextAttemptAt: row.next_attempt_at,
          lastError: row.last_error,
          body: row.body,
          attemptsLog: attempts.get(row.id) ?? [],
        }),
      );
    },
    redeliver: async (scope, deliveryId) => (await resend(db, scope, { deliveryId }, 1)).resent > 0,
    async replay(scope, webhookId, range, limit) {
      const { resent, nextFrom } = await resend(db, scope, { webhookId, ...range }, limit);
      return { replayed: resent, ...(nextFrom ? { nextFrom } : {}) };
    },
  };
}

async function attemptsOf(db: Db, deliveryIds: string[]): Promise<Map<string, LoggedAttempt[]>> {
  const byDelivery = new Map<string, LoggedAttempt[]>();
  if (deliveryIds.length === 0) return byDelivery;
  const rows = await db
    .selectFrom('delivery_attempts')
    .select([
      'delivery_id',
      'attempt',
      'duration_ms',
      'outcome',
      'status_code',
      'error',
      'response_body_prefix',
      rfc3339('started_at').as('started_at'),
    ])
    .where('delivery_id', 'in', deliveryIds)
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const log = byDelivery.get(row.delivery_id) ?? [];
    log.push({
      attempt: row.attempt,
      startedAt: row.started_at,
      durationMs: row.duration_ms,
      outcome: row.outcome,
      statusCode: row.status_code,
      error: row.error,
      responseBodyPrefix: row.response_body_prefix,
    });
    byDelivery.set(row.delivery_id, log);
  }
  return byDelivery;
}

/**
 * Puts the first `limit` selected deliveries (oldest first) back in the outbox under their own
 * ids, due now and in the order they were created (due times a microsecond apart, which the
 * workers claim in). A delivered or dead one starts a new retry budget; a pending one keeps its
 * attempts and is only made due now. The notification wakes every replica's workers once the
 * update has committed. `nextFrom` is where the selection goes on past the limit.
 */
async function resend(
  db: Db,
  scope: WebhookScope,
  selection: Selection,
  limit: number,
): Promise<{ resent: number; nextFrom?: string }> {
  const selected = db
    .selectFrom('deliveries as d')
    .innerJoin('registrations as r', 'r.id', 'd.registration_id')
    .where('r.organization_id', '=', scope.organizationId)
    .$if(scope.ownerClientId !== undefined, (query) =>
      query.where('r.owner_client_id', '=', scope.ownerClientId ?? ''),
    )
    .where((eb) => {
      if ('deliveryId' in selection) return eb('d.id', '=', selection.deliveryId);
      const conditions: Expression<SqlBool>[] = [eb('d.registration_id', '=', selection.webhookId)];
      if (selection.from) {
        conditions.push(eb('d.created_at', '>=', sql<Date>`${selection.from}::timestamptz`));
      }
      if (selection.to) {
        conditions.push(eb('d.created_at', '<', sql<Date>`${selection.to}::timestamptz`));
      }
      return eb.and(conditions);
    })
    .orderBy('d.created_at')
    .orderBy('d.id');
  const next = await selected
    .select(rfc3339('d.created_at').as('created_at'))
    .offset(limit)
    .limit(1)
    .executeTakeFirst();
  const chosen = selected
    .select(['d.id', sql<number>`row_number() OVER (ORDER BY d.created_at, d.id)`.as('position')])
    .limit(limit);
  const result = await db
    .updateTable('deliveries')
    .from(chosen.as('chosen'))
    .set({
      status: 'pending',
      attempts: sql<number>`CASE WHEN deliveries.status = 'pending' THEN deliveries.attempts ELSE 0 END`,
      next_attempt_at: sql<Date>`now() + chosen.position * interval '1 microsecond'`,
      // A sent delivery starts its retry schedule over; a pending one keeps its age.
      pending_since: sql<Date>`CASE WHEN deliveries.status = 'pending' THEN deliveries.pending_since ELSE now() END`,
      delivered_at: null,
      updated_at: sql<Date>`now()`,
    })
    .whereRef('deliveries.id', '=', 'chosen.id')
    .executeTakeFirst();
  const resent = Number(result.numUpdatedRows);
  if (resent > 0) await sql`SELECT pg_notify(${deliveriesChannel}, '')`.execute(db);
  return { resent, ...(next ? { nextFrom: next.created_at } : {}) };
}
