import { type Kysely, sql } from 'kysely';
import type { EndpointBreakers } from '../../application/ports.ts';
import {
  afterAttempt,
  type BreakerPolicy,
  type BreakerState,
  closedBreaker,
} from '../../domain/circuit-breaker.ts';
import type { WebhookDatabase } from './database.ts';

type Db = Kysely<WebhookDatabase>;

/**
 * The circuit breakers in `endpoints`, one row per URL that has failed. Replicas update a row by
 * compare-and-set on its revision (the claim's half-opening bumps it too), retrying on a lost
 * race, so the decision is always made on the state it replaces. The cool-down is timed by
 * Postgres's clock, the one the claim compares against.
 */
export function createEndpointBreakers(db: Db, policy: BreakerPolicy): EndpointBreakers {
  return {
    async record(url, outcome) {
      for (;;) {
        const row = await db
          .selectFrom('endpoints')
          .select(['status', 'consecutive_failures', 'openings', 'revision'])
          .where('url', '=', url)
          .executeTakeFirst();
        const current: BreakerState = row
          ? {
              status: row.status,
              consecutiveFailures: row.consecutive_failures,
              openings: row.openings,
            }
          : closedBreaker;
        const { state, openForMs } = afterAttempt(policy, current, outcome);
        if (openForMs === undefined && sameState(state, current)) return undefined;
        const values = {
          status: state.status,
          consecutive_failures: state.consecutiveFailures,
          openings: state.openings,
          updated_at: sql<Date>`now()`,
          ...(openForMs !== undefined && {
            retry_at: sql<Date>`now() + make_interval(secs => ${openForMs / 1000})`,
          }),
          ...(state.status === 'closed' && { retry_at: null }),
        };
        const written = row
          ? await db
              .updateTable('endpoints')
              .set({ ...values, revision: row.revision + 1 })
              .where('url', '=', url)
              .where('revision', '=', row.revision)
              .returning('retry_at')
              .executeTakeFirst()
          : await db
              .insertInto('endpoints')
              .values({ url, ...values })
              .onConflict((conflict) => conflict.column('url').doNothing())
              .returning('retry_at')
              .executeTakeFirst();
        if (!written) continue;
        if (openForMs !== undefined && written.retry_at) await hold(db, url, written.retry_at);
        return { from: current.status, to: state.status, openForMs };
      }
    },
  };
}

/**
 * Makes the endpoint's pending deliveries due when its cool-down ends, attempts untouched: the
 * claim need not step over them meanwhile, however many there are. (Its lease ends later too for
 * one in flight, harmlessly: only a replica that died mid-request waits for that.)
 */
async function hold(db: Db, url: string, until: Date): Promise<void> {
  await db
    .updateTable('deliveries')
    .set({ next_attempt_at: until })
    .where('url', '=', url)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<', until)
    .execute();
}

function sameState(a: BreakerState, b: BreakerState): boolean {
  return (
    a.status === b.status &&
    a.consecutiveFailures === b.consecutiveFailures &&
    a.openings === b.openings
  );
}

/** Endpoints whose circuit is open or half-open. */
export async function countOpenCircuits(db: Db): Promise<number> {
  const row = await db
    .selectFrom('endpoints')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('status', '<>', 'closed')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Forgets the breakers of URLs with nothing pending that nobody touched for `retentionMs`: an
 * endpoint unregistered while open would otherwise count as an open circuit for ever. A URL
 * registered again starts closed.
 */
export async function pruneEndpoints(db: Db, retentionMs: number): Promise<number> {
  const result = await db
    .deleteFrom('endpoints')
    .where('updated_at', '<', sql<Date>`now() - make_interval(secs => ${retentionMs / 1000})`)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('deliveries')
            .select('id')
            .whereRef('deliveries.url', '=', 'endpoints.url')
            .where('deliveries.status', '=', 'pending'),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
