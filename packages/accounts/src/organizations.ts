import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { AccountsDatabase } from './database.ts';
import { AccountsError } from './errors.ts';
import { isUuid, nameSchema, parseInput } from './validation.ts';

export interface Organization {
  id: string;
  name: string;
  /** Numeric license id, as LiveChat shows next to the organization id. */
  licenseId: number;
  createdAt: Date;
}

/** Group 0 exists in every organization: LiveChat's "General" group, which holds every agent. */
export const generalGroupId = 0;

const createOrganizationInput = z.object({ name: nameSchema });

/** Creates an organization with its group 0 "General", atomically. */
export async function createOrganization(
  db: Kysely<AccountsDatabase>,
  input: { name: string },
): Promise<Organization> {
  const { name } = parseInput(createOrganizationInput, input);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('organizations')
      .values({ id: randomUUID(), name })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('groups')
      .values({ organization_id: row.id, id: generalGroupId, name: 'General' })
      .execute();
    return toOrganization(row);
  });
}

export async function findOrganization(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
): Promise<Organization | undefined> {
  if (!isUuid(organizationId)) return undefined;
  const row = await db
    .selectFrom('organizations')
    .selectAll()
    .where('id', '=', organizationId)
    .executeTakeFirst();
  return row && toOrganization(row);
}

/** The oldest organization with this name (names are not unique; seeding looks up by name). */
export async function findOrganizationByName(
  db: Kysely<AccountsDatabase>,
  name: string,
): Promise<Organization | undefined> {
  const row = await db
    .selectFrom('organizations')
    .selectAll()
    .where('name', '=', name)
    .orderBy('created_at')
    .orderBy('license_id')
    .limit(1)
    .executeTakeFirst();
  return row && toOrganization(row);
}

/** The organization behind a numeric license id (Configuration API `get_organization_id`). */
export async function findOrganizationByLicenseId(
  db: Kysely<AccountsDatabase>,
  licenseId: number,
): Promise<Organization | undefined> {
  if (!Number.isSafeInteger(licenseId)) return undefined;
  const row = await db
    .selectFrom('organizations')
    .selectAll()
    .where('license_id', '=', licenseId)
    .executeTakeFirst();
  return row && toOrganization(row);
}

/** Like findOrganization, but an unknown organization is the caller's mistake. */
export async function requireOrganization(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
): Promise<Organization> {
  const organization = await findOrganization(db, organizationId);
  if (!organization) {
    throw new AccountsError('not_found', `Organization ${organizationId} does not exist`);
  }
  return organization;
}

function toOrganization(row: {
  id: string;
  name: string;
  license_id: number;
  created_at: Date;
}): Organization {
  return {
    id: row.id,
    name: row.name,
    licenseId: Number(row.license_id),
    createdAt: row.created_at,
  };
}
