import { type Kysely, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import type { AccountsDatabase } from './database.ts';
import { AccountsError } from './errors.ts';
import type { GroupPriority } from './memberships.ts';
import { generalGroupId } from './organizations.ts';
import { isUuid, nameSchema, parseInput, prioritySchema } from './validation.ts';

export interface Group {
  organizationId: string;
  /** Counts from 0 within the organization; 0 is "General". */
  id: number;
  name: string;
  languageCode: string;
}

/** LiveChat's `agent_priorities`: agent (or bot) id → its routing priority in the group. */
export type AgentPriorities = Record<string, GroupPriority>;

/** Threadline's cap on groups per organization (LiveChat's depends on the plan). */
export const maxGroupsPerOrganization = 500;

const agentPrioritiesSchema = z.record(z.string().min(1).max(254), prioritySchema);

const createGroupInput = z.object({
  organizationId: z.string(),
  name: nameSchema.pipe(z.string().max(180)),
  languageCode: z.string().min(2).max(10).optional(),
  agentPriorities: agentPrioritiesSchema.optional(),
});

const groupChangesInput = z.object({
  name: nameSchema.pipe(z.string().max(180)).optional(),
  languageCode: z.string().min(2).max(10).optional(),
  agentPriorities: agentPrioritiesSchema.optional(),
});

export type GroupChanges = z.input<typeof groupChangesInput>;

/**
 * Adds a group with the organization's next id (and the agents given in `agentPriorities`). The
 * organization row is locked for the transaction so that concurrent creations get distinct ids
 * rather than a conflict.
 */
export async function createGroup(
  db: Kysely<AccountsDatabase>,
  input: {
    organizationId: string;
    name: string;
    languageCode?: string;
    agentPriorities?: AgentPriorities;
  },
): Promise<Group> {
  const { organizationId, name, languageCode, agentPriorities } = parseInput(
    createGroupInput,
    input,
  );
  if (!isUuid(organizationId)) throw organizationNotFound(organizationId);
  return db.transaction().execute(async (trx) => {
    const organization = await trx
      .selectFrom('organizations')
      .select('id')
      .where('id', '=', organizationId)
      .forUpdate()
      .executeTakeFirst();
    if (!organization) throw organizationNotFound(organizationId);
    const { next, count } = await trx
      .selectFrom('groups')
      .select([
        sql<number>`coalesce(max(id), -1) + 1`.as('next'),
        sql<number>`count(*)`.as('count'),
      ])
      .where('organization_id', '=', organizationId)
      .executeTakeFirstOrThrow();
    if (Number(count) >= maxGroupsPerOrganization) {
      throw new AccountsError('limit_reached', `At most ${maxGroupsPerOrganization} groups`);
    }
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
    if (agentPriorities) await setAgentPriorities(trx, organizationId, row.id, agentPriorities);
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

export async function findGroup(
  db: Kysely<AccountsDatabase> | Transaction<AccountsDatabase>,
  organizationId: string,
  groupId: number,
): Promise<Group | undefined> {
  if (!isUuid(organizationId)) return undefined;
  const row = await db
    .selectFrom('groups')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', groupId)
    .executeTakeFirst();
  return row && toGroup(row);
}

/** Members of each group with their priorities, by group id. */
export async function listAgentPriorities(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  groupIds: readonly number[],
): Promise<Map<number, AgentPriorities>> {
  const byGroup = new Map<number, AgentPriorities>(groupIds.map((id) => [id, {}]));
  if (groupIds.length === 0 || !isUuid(organizationId)) return byGroup;
  const rows = await db
    .selectFrom('agent_groups')
    .select(['group_id', 'agent_id', 'priority'])
    .where('organization_id', '=', organizationId)
    .where('group_id', 'in', [...groupIds])
    .orderBy('agent_id')
    .execute();
  for (const row of rows) {
    const priorities = byGroup.get(row.group_id);
    if (priorities) priorities[row.agent_id] = row.priority as GroupPriority;
  }
  return byGroup;
}

/**
 * Renames a group or changes its language or members. `agentPriorities` is the group's whole
 * membership: agents left out leave the group — except in group 0, which every agent belongs to,
 * so there it only changes the priorities it names.
 */
export async function updateGroup(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  groupId: number,
  input: GroupChanges,
): Promise<Group> {
  const changes = parseInput(groupChangesInput, input);
  return db.transaction().execute(async (trx) => {
    const current = await findGroup(trx, organizationId, groupId);
    if (!current) throw groupNotFound(groupId);
    const row = await trx
      .updateTable('groups')
      .set({
        name: changes.name ?? current.name,
        language_code: changes.languageCode ?? current.languageCode,
      })
      .where('organization_id', '=', organizationId)
      .where('id', '=', groupId)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (changes.agentPriorities) {
      if (groupId !== generalGroupId) {
        await trx
          .deleteFrom('agent_groups')
          .where('organization_id', '=', organizationId)
          .where('group_id', '=', groupId)
          .execute();
      }
      await setAgentPriorities(trx, organizationId, groupId, changes.agentPriorities);
    }
    return toGroup(row);
  });
}

/**
 * Deletes a group, its memberships and group properties, and takes it off tags. Group 0 holds
 * every agent and cannot go (`validation`).
 */
export async function deleteGroup(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  groupId: number,
): Promise<void> {
  if (groupId === generalGroupId) {
    throw new AccountsError('validation', 'The General group (0) cannot be deleted');
  }
  await db.transaction().execute(async (trx) => {
    if (!(await findGroup(trx, organizationId, groupId))) throw groupNotFound(groupId);
    await trx
      .updateTable('tags')
      .set({ group_ids: sql`array_remove(group_ids, ${groupId})` })
      .where('organization_id', '=', organizationId)
      .where(sql<boolean>`${groupId} = any(group_ids)`)
      .execute();
    await trx
      .deleteFrom('groups')
      .where('organization_id', '=', organizationId)
      .where('id', '=', groupId)
      .execute();
  });
}

async function setAgentPriorities(
  trx: Transaction<AccountsDatabase>,
  organizationId: string,
  groupId: number,
  priorities: AgentPriorities,
): Promise<void> {
  const agentIds = Object.keys(priorities);
  if (agentIds.length === 0) return;
  const known = await trx
    .selectFrom('agents')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('id', 'in', agentIds)
    .execute();
  const knownIds = new Set(known.map((row) => row.id));
  const missing = agentIds.filter((id) => !knownIds.has(id));
  if (missing.length > 0) {
    throw new AccountsError('not_found', `Agent ${missing.join(', ')} does not exist`);
  }
  await trx
    .insertInto('agent_groups')
    .values(
      agentIds.map((agentId) => ({
        organization_id: organizationId,
        agent_id: agentId,
        group_id: groupId,
        priority: priorities[agentId] as GroupPriority,
      })),
    )
    .onConflict((conflict) =>
      conflict
        .columns(['organization_id', 'agent_id', 'group_id'])
        .doUpdateSet((update) => ({ priority: update.ref('excluded.priority') })),
    )
    .execute();
}

export function groupNotFound(groupId: number): AccountsError {
  return new AccountsError('group_not_found', `Group ${groupId} does not exist`);
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
