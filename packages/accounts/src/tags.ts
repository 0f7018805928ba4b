import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { AccountsDatabase } from './database.ts';
import { AccountsError } from './errors.ts';
import { requireGroups } from './memberships.ts';
import { isUniqueViolation, isUuid, parseInput } from './validation.ts';

/** A label agents put on threads (`tag_thread`), offered in the groups it names. */
export interface Tag {
  name: string;
  groupIds: number[];
  /** Who created it; empty for tags nobody in particular made. */
  authorId: string;
  createdAt: Date;
}

/** Threadline's cap on tags per organization. */
export const maxTagsPerOrganization = 1_000;

const tagName = z.string().trim().min(1).max(255);
const groupIds = z.array(z.number().int().min(0)).max(500);

/**
 * Creates a tag. LiveChat matches an existing name ignoring letter case here (`already_exists`),
 * while updates and deletions match it exactly.
 */
export async function createTag(
  db: Kysely<AccountsDatabase>,
  input: { organizationId: string; name: string; groupIds?: number[]; authorId: string },
): Promise<Tag> {
  const name = parseInput(tagName, input.name);
  const ids = [...new Set(parseInput(groupIds, input.groupIds ?? []))];
  try {
    return await db.transaction().execute(async (trx) => {
      await requireGroups(trx, input.organizationId, ids);
      const { count } = await trx
        .selectFrom('tags')
        .select(sql<number>`count(*)`.as('count'))
        .where('organization_id', '=', input.organizationId)
        .executeTakeFirstOrThrow();
      if (Number(count) >= maxTagsPerOrganization) {
        throw new AccountsError('limit_reached', `At most ${maxTagsPerOrganization} tags`);
      }
      const row = await trx
        .insertInto('tags')
        .values({
          organization_id: input.organizationId,
          name,
          group_ids: ids,
          author_id: input.authorId,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toTag(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AccountsError('already_exists', `Tag ${name} already exists`, { cause: error });
    }
    throw error;
  }
}

/** The organization's tags, by name; with `groupIds`, only tags offered in any of them. */
export async function listTags(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  filters: { groupIds?: readonly number[] | undefined } = {},
): Promise<Tag[]> {
  if (!isUuid(organizationId)) return [];
  let query = db.selectFrom('tags').selectAll().where('organization_id', '=', organizationId);
  if (filters.groupIds && filters.groupIds.length > 0) {
    query = query.where(sql<boolean>`group_ids && ${sql.val([...filters.groupIds])}::integer[]`);
  }
  const rows = await query.orderBy('name').execute();
  return rows.map(toTag);
}

/** The tag of exactly this name (letter case counts), if any. */
export async function findTag(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  name: string,
): Promise<Tag | undefined> {
  if (!isUuid(organizationId)) return undefined;
  const row = await db
    .selectFrom('tags')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('name', '=', name)
    .executeTakeFirst();
  return row && toTag(row);
}

/** Sets the groups a tag is offered in (exact name match; `not_found` otherwise). */
export async function updateTag(
  db: Kysely<AccountsDatabase>,
  input: { organizationId: string; name: string; groupIds?: number[] | undefined },
): Promise<Tag> {
  const ids = input.groupIds && [...new Set(parseInput(groupIds, input.groupIds))];
  return db.transaction().execute(async (trx) => {
    if (ids) await requireGroups(trx, input.organizationId, ids);
    const row = isUuid(input.organizationId)
      ? await trx
          .updateTable('tags')
          .set(ids ? { group_ids: ids } : { name: input.name })
          .where('organization_id', '=', input.organizationId)
          .where('name', '=', input.name)
          .returningAll()
          .executeTakeFirst()
      : undefined;
    if (!row) throw tagNotFound(input.name);
    return toTag(row);
  });
}

/** Deletes the tag of exactly this name; `not_found` otherwise. Tagged threads keep their tags. */
export async function deleteTag(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  name: string,
): Promise<void> {
  const result = isUuid(organizationId)
    ? await db
        .deleteFrom('tags')
        .where('organization_id', '=', organizationId)
        .where('name', '=', name)
        .executeTakeFirst()
    : undefined;
  if (!result || Number(result.numDeletedRows) === 0) throw tagNotFound(name);
}

function tagNotFound(name: string): AccountsError {
  return new AccountsError('not_found', `Tag ${name} does not exist`);
}

function toTag(row: {
  name: string;
  group_ids: number[];
  author_id: string;
  created_at: Date;
}): Tag {
  return {
    name: row.name,
    groupIds: row.group_ids,
    authorId: row.author_id,
    createdAt: row.created_at,
  };
}
