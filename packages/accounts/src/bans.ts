import type { Kysely } from 'kysely';
import type { AccountsDatabase } from './database.ts';
import { isUuid } from './validation.ts';

export interface CustomerBan {
  organizationId: string;
  customerId: string;
  days: number;
  bannedBy: string;
  expiresAt: Date;
  createdAt: Date;
}

const dayMs = 24 * 60 * 60 * 1000;

/**
 * Bans a customer for `days` from `now` (`ban_customer`); a second ban replaces the first. The
 * Configuration API's `list_customer_bans` / `unban_customer` read and lift the same rows.
 */
export async function banCustomer(
  db: Kysely<AccountsDatabase>,
  input: { organizationId: string; customerId: string; days: number; bannedBy: string; now?: Date },
): Promise<CustomerBan> {
  const now = input.now ?? new Date();
  const values = {
    organization_id: input.organizationId,
    customer_id: input.customerId,
    days: input.days,
    banned_by: input.bannedBy,
    expires_at: new Date(now.getTime() + input.days * dayMs),
    created_at: now,
  };
  const row = await db
    .insertInto('customer_bans')
    .values(values)
    .onConflict((conflict) =>
      conflict.columns(['organization_id', 'customer_id']).doUpdateSet({
        days: values.days,
        banned_by: values.banned_by,
        expires_at: values.expires_at,
        created_at: values.created_at,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return toBan(row);
}

/** The customer's ban still in force at `now`, if any. */
export async function findActiveBan(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  customerId: string,
  now = new Date(),
): Promise<CustomerBan | undefined> {
  if (!isUuid(organizationId) || !isUuid(customerId)) return undefined;
  const row = await db
    .selectFrom('customer_bans')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('customer_id', '=', customerId)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row && toBan(row);
}

/** Bans in force at `now`, newest first. */
export async function listCustomerBans(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  now = new Date(),
): Promise<CustomerBan[]> {
  if (!isUuid(organizationId)) return [];
  const rows = await db
    .selectFrom('customer_bans')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(toBan);
}

/** Lifts a ban; false when there was none. */
export async function unbanCustomer(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  customerId: string,
): Promise<boolean> {
  if (!isUuid(organizationId) || !isUuid(customerId)) return false;
  const result = await db
    .deleteFrom('customer_bans')
    .where('organization_id', '=', organizationId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

function toBan(row: {
  organization_id: string;
  customer_id: string;
  days: number;
  banned_by: string;
  expires_at: Date;
  created_at: Date;
}): CustomerBan {
  return {
    organizationId: row.organization_id,
    customerId: row.customer_id,
    days: row.days,
    bannedBy: row.banned_by,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
  };
}
