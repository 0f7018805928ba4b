import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { AccountsDatabase } from './database.ts';
import { AccountsError } from './errors.ts';
import { generalGroupId } from './organizations.ts';
import { prioritySchema } from './validation.ts';

export type GroupPriority = z.infer<typeof prioritySchema>;

export interface GroupMembership {
  id: number;
  priority: GroupPriority;
}

/** A group given as its id alone, or with the agent's routing priority in it. */
export const membershipInput = z.union([
  z.number().int().min(0),
  z.object({ id: z.number().int().min(0), priority: prioritySchema.optional() }),
]);

export type MembershipInput = z.infer<typeof membershipInput>;

/**
 * Every agent belongs to group 0 (LiveChat's "General" holds all agents); a group named twice
 * keeps its first priority; a group without one gets `defaultPriority` (a bot's
 * `default_group_priority`, else `normal`).
 */
export function normalizeMemberships(
  groups: readonly MembershipInput[],
  defaultPriority: GroupPriority = 'normal',
): GroupMembership[] {
  const byId = new Map<number, GroupMembership>();
  for (const group of groups) {
    const membership: GroupMembership =
      typeof group === 'number'
        ? { id: group, priority: defaultPriority }
        : { id: group.id, priority: group.priority ?? defaultPriority };
    if (!byId.has(membership.id)) byId.set(membership.id, membership);
  }
  if (!byId.has(generalGroupId)) {
    byId.set(generalGroupId, { id: generalGroupId, priority: defaultPriority });
  }
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** Unknown groups are the protocol's `group_not_found`. */
export async function requireGroups(
  db: Kysely<AccountsDatabase> | Transaction<AccountsDatabase>,
  organizationId: string,
  groupIds: readonly number[],
): Promise<void> {
  const ids = [...new Set(groupIds)];
  if (ids.length === 0) return;
  const rows = await db
    .selectFrom('groups')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('id', 'in', ids)
    .execute();
  const existing = new Set(rows.map((row) => row.id));
  const missing = ids.filter((id) => !existing.has(id));
  if (missing.length > 0) {
    throw new AccountsError('group_not_found', `Group ${missing.join(', ')} does not exist`);
  }
}

/** Replaces an agent's groups with `memberships` (which always hold group 0). */
export async function replaceMemberships(
  trx: Transaction<AccountsDatabase>,
  organizationId: string,
  agentId: string,
  memberships: readonly GroupMembership[],
): Promise<void> {
  await requireGroups(
    trx,
    organizationId,
    memberships.map((membership) => membership.id),
  );
  await trx
    .deleteFrom('agent_groups')
    .where('organization_id', '=', organizationId)
    .where('agent_id', '=', agentId)
    .execute();
  await trx
    .insertInto('agent_groups')
    .values(
      memberships.map((membership) => ({
        organization_id: organizationId,
        agent_id: agentId,
        group_id: membership.id,
        priority: membership.priority,
      })),
    )
    .execute();
}

/** Groups of several agents at once, by agent id (one query for a whole listing). */
export async function membershipsOfAgents(
  db: Kysely<AccountsDatabase> | Transaction<AccountsDatabase>,
  organizationId: string,
  agentIds: readonly string[],
): Promise<Map<string, GroupMembership[]>> {
  const byAgent = new Map<string, GroupMembership[]>(agentIds.map((id) => [id, []]));
  if (agentIds.length === 0) return byAgent;
  const rows = await db
    .selectFrom('agent_groups')
    .select(['agent_id', 'group_id', 'priority'])
    .where('organization_id', '=', organizationId)
    .where('agent_id', 'in', [...agentIds])
    .orderBy('group_id')
    .execute();
  for (const row of rows) {
    byAgent.get(row.agent_id)?.push({ id: row.group_id, priority: row.priority as GroupPriority });
  }
  return byAgent;
}
