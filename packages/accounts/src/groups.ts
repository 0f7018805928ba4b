import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { AccountsDatabase } from './database.ts';
import { AccountsError } from './errors.ts';
import { isUuid, nameSchema, parseInput } from './validation.ts';

export interface Group {
  organizationId: string;
  /** Counts from 0 within the organization; 0 is "General". */
  id: number;
  name: string;
  languageCode: string;
}

const createGroupInput = z.object({
  organizationId: z.string(),
  name: nameSchema,
  languageCode: z.string().min(2).max(10).optional(),
});

/**
 * Adds a group with the organization's next id. The organization row is locked for the
 * transaction so that concurrent creations get distinct ids rather than a conflict.
 */
export async function createGroup(
  db: Kysely<AccountsDatabase>,
  input: { organizationId: string; name: string; languageCode?: string },
): Promise<Group> {
  const { organizationId, name, languageCode } = parseInput(createGroupInput, input);
  if (!isUuid(organizationId)) throw organizationNotFound(organizationId);
  return db.transaction().execute(async (trx) => {
    const organization = await trx
      .selectFrom('organizations')
      .select('id')
      .where('id', '=', organizationId)
      .forUpdate()
      .executeTakeFirst();
    if (!organization) throw organizationNotFound(organizationId);
    const { next } = await trx
      .selectFrom('groups')
      .select(sql<number>`coalesce(max(id), -1) + 1`.as('next'))
      .where('organization_id', '=', organizationId)
      .executeTakeFirstOrThrow();
    const row = await trx
      .insertInto('groups')
      .values({
        organization_id: organizationId,
        id: Number(next),
        name,
        ...(languageCode ? { language_code: languageCode } : {}),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toGroup(row);
  });
}

export async function listGroups(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
): Promise<Group[]> {
  if (!isUuid(organizationId)) return [];
  const rows = await db
    .selectFrom('groups')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('id')
    .execute();
  return rows.map(toGroup);
}

function organizationNotFound(organizationId: string): AccountsError {
  return new AccountsError('not_found', `Organization ${organizationId} does not exist`);
}

function toGroup(row: {
  organization_id: string;
  id: number;
  name: string;
  language_code: string;
}): Group {
  return {
    organizationId: row.organization_id,
    id: row.id,
    name: row.name,
    languageCode: row.language_code,
  };
}
