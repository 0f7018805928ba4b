import { type Kysely, type Selectable, sql } from 'kysely';
import type { AccountsDatabase, GreetingDisplayTable } from './database.ts';
import { isUuid } from './validation.ts';

/** A visit ends after this long without a login or a page from the customer (as web analytics). */
export const visitTimeoutMinutes = 30;

export interface CustomerVisit {
  /** 1 for the customer's first visit. */
  number: number;
  startedAt: Date;
}

export interface GreetingCounts {
  shown: number;
  accepted: number;
}

export type GreetingDisplayState = 'displayed' | 'accepted' | 'canceled';

/** One `incoming_greeting` a customer received. */
export interface GreetingDisplay {
  uniqueId: string;
  greetingId: number;
  visit: number;
  /** The `incoming_greeting` payload as sent. */
  payload: Record<string, unknown>;
  state: GreetingDisplayState;
  accepted: boolean;
  displayedAt: Date;
}

/**
 * Notes that the customer is here at `now` (a login or a page) and returns their visit: the
 * current one, or a new one when the last sign of them is older than `visitTimeoutMinutes`. One
 * statement, so concurrent logins agree on the visit.
 */
export async function touchVisit(
  db: Kysely<AccountsDatabase>,
  input: { organizationId: string; customerId: string; now: Date },
): Promise<CustomerVisit> {
  const expired = sql<boolean>`customer_visits.seen_at < ${input.now}::timestamptz - make_interval(mins => ${visitTimeoutMinutes})`;
  const row = await db
    .insertInto('customer_visits')
    .values({
      organization_id: input.organizationId,
      customer_id: input.customerId,
      number: 1,
      started_at: input.now,
      seen_at: input.now,
    })
    .onConflict((conflict) =>
      conflict.columns(['organization_id', 'customer_id']).doUpdateSet({
        number: sql`case when ${expired} then customer_visits.number + 1 else customer_visits.number end`,
        started_at: sql`case when ${expired} then ${input.now}::timestamptz else customer_visits.started_at end`,
        seen_at: sql`greatest(customer_visits.seen_at, ${input.now}::timestamptz)`,
      }),
    )
    .returning(['number', 'started_at'])
    .executeTakeFirstOrThrow();
  return { number: row.number, startedAt: row.started_at };
}

/**
 * Records a display unless this greeting was already shown to the customer in this visit (then
 * `false`: a concurrent login or page already showed it).
 */
export async function recordGreetingDisplay(
  db: Kysely<AccountsDatabase>,
  input: {
    organizationId: string;
    customerId: string;
    greetingId: number;
    visit: number;
    uniqueId: string;
    payload: Record<string, unknown>;
    now: Date;
  },
): Promise<boolean> {
  const result = await db
    .insertInto('greeting_displays')
    .values({
      unique_id: input.uniqueId,
      organization_id: input.organizationId,
      customer_id: input.customerId,
      greeting_id: input.greetingId,
      visit: input.visit,
      payload: JSON.stringify(input.payload),
      state: 'displayed',
      displayed_at: input.now,
    })
    .onConflict((conflict) => conflict.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** What the customer was shown: the greetings ever shown, and this visit's displays, newest first. */
export async function listGreetingDisplays(
  db: Kysely<AccountsDatabase>,
  input: { organizationId: string; customerId: string; visit: number },
): Promise<{ shownGreetingIds: Set<number>; thisVisit: GreetingDisplay[] }> {
  const [shown, thisVisit] = await Promise.all([
    db
      .selectFrom('greeting_displays')
      .select('greeting_id')
      .distinct()
      .where('organization_id', '=', input.organizationId)
      .where('customer_id', '=', input.customerId)
      .execute(),
    db
      .selectFrom('greeting_displays')
      .selectAll()
      .where('organization_id', '=', input.organizationId)
      .where('customer_id', '=', input.customerId)
      .where('visit', '=', input.visit)
      .orderBy('displayed_at', 'desc')
      .execute(),
  ]);
  return {
    shownGreetingIds: new Set(shown.map((row) => row.greeting_id)),
    thisVisit: thisVisit.map(toDisplay),
  };
}

/** A display of this customer's (never another customer's) by its `unique_id`. */
export async function findGreetingDisplay(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  customerId: string,
  uniqueId: string,
): Promise<GreetingDisplay | undefined> {
  if (!isUuid(organizationId) || !isUuid(customerId)) return undefined;
  const row = await db
    .selectFrom('greeting_displays')
    .selectAll()
    .where('unique_id', '=', uniqueId)
    .where('organization_id', '=', organizationId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return row && toDisplay(row);
}

/**
 * Moves a display of this customer's to `accepted` or `canceled`. A canceled greeting is gone
 * and cannot be accepted (`undefined`); repeating either change changes nothing.
 */
export async function setGreetingDisplayState(
  db: Kysely<AccountsDatabase>,
  input: {
    organizationId: string;
    customerId: string;
    uniqueId: string;
    state: 'accepted' | 'canceled';
  },
): Promise<GreetingDisplay | undefined> {
  if (!isUuid(input.organizationId) || !isUuid(input.customerId)) return undefined;
  let query = db
    .updateTable('greeting_displays')
    .set(input.state === 'accepted' ? { state: 'accepted', accepted: true } : { state: 'canceled' })
    .where('unique_id', '=', input.uniqueId)
    .where('organization_id', '=', input.organizationId)
    .where('customer_id', '=', input.customerId);
  if (input.state === 'accepted') query = query.where('state', '!=', 'canceled');
  const row = await query.returningAll().executeTakeFirst();
  return row && toDisplay(row);
}

/** The greetings a customer was shown and accepted (spec §5.4 `greetings_*_count`). */
export async function countGreetingDisplays(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  customerId: string,
): Promise<GreetingCounts> {
  if (!isUuid(organizationId) || !isUuid(customerId)) return { shown: 0, accepted: 0 };
  const row = await db
    .selectFrom('greeting_displays')
    .select([
      sql<number>`count(*)`.as('shown'),
      sql<number>`count(*) filter (where accepted)`.as('accepted'),
    ])
    .where('organization_id', '=', organizationId)
    .where('customer_id', '=', customerId)
    .executeTakeFirstOrThrow();
  return { shown: Number(row.shown), accepted: Number(row.accepted) };
}

function toDisplay(row: Selectable<GreetingDisplayTable>): GreetingDisplay {
  return {
    uniqueId: row.unique_id,
    greetingId: row.greeting_id,
    visit: row.visit,
    payload: row.payload,
    state: row.state,
    accepted: row.accepted,
    displayedAt: row.displayed_at,
  };
}
