import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { AccountsDatabase, CustomerPage, SessionFields } from './database.ts';
import { requireOrganization } from './organizations.ts';
import { hashSecret, newSecretToken } from './secrets.ts';
import { isUuid, parseInput } from './validation.ts';

export interface Customer {
  /** UUID v4, as LiveChat's customer ids. */
  id: string;
  organizationId: string;
  name: string | undefined;
  email: string | undefined;
  avatar: string | undefined;
  /** LiveChat's shape: a list of single-key objects, `[{"plan":"gold"}]`. */
  sessionFields: SessionFields;
  phoneNumber: string | undefined;
  address: Record<string, string> | undefined;
  omnichannel: Record<string, unknown> | undefined;
  lastPage: CustomerPage | undefined;
  createdAt: Date;
  updatedAt: Date;
}

const sessionFieldsSchema = z
  .array(z.record(z.string().max(256), z.string().max(1024)))
  .max(100, 'at most 100 session fields');

const customerChanges = z.object({
  name: z.string().max(255).optional(),
  email: z.string().max(254).optional(),
  avatar: z.string().max(2048).optional(),
  sessionFields: sessionFieldsSchema.optional(),
  phoneNumber: z.string().max(32).optional(),
  address: z.record(z.string(), z.string().max(512)).optional(),
  omnichannel: z.record(z.string(), z.unknown()).optional(),
  lastPage: z
    .object({
      url: z.string().max(2048),
      title: z.string().max(1024).optional(),
      opened_at: z.string(),
    })
    .optional(),
});

export type CustomerChanges = z.input<typeof customerChanges>;

export async function createCustomer(
  db: Kysely<AccountsDatabase>,
  input: { organizationId: string } & CustomerChanges,
): Promise<Customer> {
  const changes = parseInput(customerChanges, input);
  await requireOrganization(db, input.organizationId);
  return insertCustomer(db, input.organizationId, changes, null);
}

export async function findCustomer(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  customerId: string,
): Promise<Customer | undefined> {
  if (!isUuid(organizationId) || !isUuid(customerId)) return undefined;
  const row = await db
    .selectFrom('customers')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', customerId)
    .executeTakeFirst();
  return row && toCustomer(row);
}

/** Applies the given fields (absent ones stay as they are); undefined when there is no such customer. */
export async function updateCustomer(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  customerId: string,
  input: CustomerChanges,
): Promise<Customer | undefined> {
  const changes = parseInput(customerChanges, input);
  if (!isUuid(organizationId) || !isUuid(customerId)) return undefined;
  const row = await db
    .updateTable('customers')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.email !== undefined ? { email: changes.email } : {}),
      ...(changes.avatar !== undefined ? { avatar: changes.avatar } : {}),
      ...(changes.sessionFields !== undefined
        ? { session_fields: JSON.stringify(changes.sessionFields) }
        : {}),
      ...(changes.phoneNumber !== undefined ? { phone_number: changes.phoneNumber } : {}),
      ...jsonChange('address', changes.address),
      ...jsonChange('omnichannel', changes.omnichannel),
      ...jsonChange('last_page', changes.lastPage),
      updated_at: new Date(),
    })
    .where('organization_id', '=', organizationId)
    .where('id', '=', customerId)
    .returningAll()
    .executeTakeFirst();
  return row && toCustomer(row);
}

export interface CookieIdentity {
  customerId: string;
  secret: string;
}

/**
 * The customer behind a browser's identity cookies (`__lc_cid` = customer id, `__lc_cst` =
 * secret). A missing, unknown or forged pair gets a new customer and a new secret, so a browser
 * can only ever keep its own identity.
 */
export async function resolveCookieCustomer(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  cookie: CookieIdentity | undefined,
): Promise<{ customer: Customer; secret: string; created: boolean }> {
  if (cookie && isUuid(cookie.customerId) && isUuid(organizationId)) {
    const row = await db
      .selectFrom('customers')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('id', '=', cookie.customerId)
      .where('cookie_secret_hash', '=', hashSecret(cookie.secret))
      .executeTakeFirst();
    if (row) return { customer: toCustomer(row), secret: cookie.secret, created: false };
  }
  await requireOrganization(db, organizationId);
  const secret = newSecretToken();
  const customer = await insertCustomer(db, organizationId, {}, hashSecret(secret));
  return { customer, secret, created: true };
}

async function insertCustomer(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  changes: z.infer<typeof customerChanges>,
  cookieSecretHash: string | null,
): Promise<Customer> {
  const row = await db
    .insertInto('customers')
    .values({
      id: randomUUID(),
      organization_id: organizationId,
      name: changes.name ?? null,
      email: changes.email ?? null,
      avatar: changes.avatar ?? null,
      session_fields: JSON.stringify(changes.sessionFields ?? []),
      cookie_secret_hash: cookieSecretHash,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCustomer(row);
}

function jsonChange<Column extends string>(column: Column, value: object | undefined) {
  return (value === undefined ? {} : { [column]: JSON.stringify(value) }) as Partial<
    Record<Column, string>
  >;
}

function toCustomer(row: {
  id: string;
  organization_id: string;
  name: string | null;
  email: string | null;
  avatar: string | null;
  session_fields: SessionFields;
  phone_number: string | null;
  address: Record<string, string> | null;
  omnichannel: Record<string, unknown> | null;
  last_page: CustomerPage | null;
  created_at: Date;
  updated_at: Date;
}): Customer {
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name ?? undefined,
    email: row.email ?? undefined,
    avatar: row.avatar ?? undefined,
    sessionFields: row.session_fields,
    phoneNumber: row.phone_number ?? undefined,
    address: row.address ?? undefined,
    omnichannel: row.omnichannel ?? undefined,
    lastPage: row.last_page ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** `list_customers` filters (3.4/3.5) that the accounts store can answer, in the protocol's names. */
export interface CustomerListFilters {
  name?: TextFilter | undefined;
  email?: TextFilter | undefined;
  customer_id?: TextFilter | undefined;
  created_at?: RangeFilter | undefined;
}

export interface TextFilter {
  values?: string[] | undefined;
  exclude_values?: string[] | undefined;
}

/** Bounds are RFC 3339 timestamps. */
export interface RangeFilter {
  lte?: string | undefined;
  lt?: string | undefined;
  gte?: string | undefined;
  gt?: string | undefined;
  eq?: string | undefined;
}

/** Where a customer page goes on: after (in reading order) this creation time and id. */
export interface CustomerCursor {
  createdAt: string;
  id: string;
}

const rangeOperators = { lte: '<=', lt: '<', gte: '>=', gt: '>', eq: '=' } as const;

/**
 * The organization's customers by creation (then id), `order` being the reading order; `after`
 * continues past a cursor. Times compare at millisecond precision, as cursors carry them.
 */
export async function listCustomers(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  query: {
    filters: CustomerListFilters;
    order: 'asc' | 'desc';
    limit: number;
    after?: CustomerCursor | undefined;
  },
): Promise<Customer[]> {
  if (!isUuid(organizationId)) return [];
  let select = filteredCustomers(db, organizationId, query.filters).selectAll();
  if (query.after) {
    const comparison = query.order === 'asc' ? '>' : '<';
    select = select.where(
      sql<boolean>`(${createdAtMs}, id) ${sql.raw(comparison)} (${new Date(query.after.createdAt)}, ${query.after.id}::uuid)`,
    );
  }
  const rows = await select
    .orderBy(createdAtMs, query.order)
    .orderBy('id', query.order)
    .limit(query.limit)
    .execute();
  return rows.map(toCustomer);
}

/** How many of the organization's customers the filters match (`total_customers`). */
export async function countCustomers(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  filters: CustomerListFilters,
): Promise<number> {
  if (!isUuid(organizationId)) return 0;
  const row = await filteredCustomers(db, organizationId, filters)
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

const createdAtMs = sql<Date>`date_trunc('milliseconds', created_at)`;

function filteredCustomers(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  filters: CustomerListFilters,
) {
  let select = db.selectFrom('customers').where('organization_id', '=', organizationId);
  const { name, email, customer_id: customerId, created_at: created } = filters;
  for (const [column, filter] of [
    ['name', name],
    ['email', email],
    ['id', customerId],
  ] as const) {
    if (filter?.values) {
      // No customer matches an empty list of values; ids that are not UUIDs match none either.
      const values = column === 'id' ? filter.values.filter(isUuid) : filter.values;
      select = values.length
        ? select.where(column, 'in', values)
        : select.where(sql<boolean>`false`);
    }
    const excluded =
      column === 'id' ? filter?.exclude_values?.filter(isUuid) : filter?.exclude_values;
    if (excluded?.length) {
      select = select.where((eb) =>
        eb.or([eb(column, 'is', null), eb(column, 'not in', excluded)]),
      );
    }
  }
  for (const [bound, operator] of Object.entries(rangeOperators)) {
    const value = created?.[bound as keyof RangeFilter];
    if (value !== undefined) select = select.where(createdAtMs, operator, new Date(value));
  }
  return select;
}
