import type { Kysely, Selectable, Transaction } from 'kysely';
import type { AgentDirectoryPort, Clock } from '../../application/ports.ts';
import {
  agentsTouchedBy,
  type ConfigurationEvent,
  type DirectoryAgent,
  evolveAgent,
  groupIdsOf,
} from '../../domain/agent-directory.ts';
import type { RoutingStatus } from '../../domain/routing.decide.ts';
import type { AgentsTable, RouterDatabase } from './database.ts';
import { changeRoutingSettings, forgetGroupSettings } from './routing-settings.ts';
import { lockOrganization } from './routing-store.ts';

/**
 * Applies configuration changes to the agents table and the routing settings, each in one
 * transaction with the organization's applied position: a change at or below it was applied
 * already and is skipped (redelivery, the other replica). The organization's routing lock is
 * held, so a routing decision never sees half a change.
 */
export function createAgentDirectory(db: Kysely<RouterDatabase>, clock: Clock): AgentDirectoryPort {
  return {
    apply: (organizationId, position, event) =>
      db.transaction().execute(async (trx) => {
        await lockOrganization(trx, organizationId);
        if (!(await advancePosition(trx, organizationId, position))) return false;
        const at = clock.now();
        await applyToAgents(trx, organizationId, event, at);
        if (event.type === 'routing_settings_changed') {
          await changeRoutingSettings(trx, { ...event, organizationId, position, at });
        }
        if (event.type === 'group_deleted') {
          await forgetGroupSettings(trx, organizationId, event.groupId);
        }
        return true;
      }),
  };
}

/** Moves the organization's position to `position`; false when it was there or beyond already. */
async function advancePosition(
  trx: Transaction<RouterDatabase>,
  organizationId: string,
  position: number,
): Promise<boolean> {
  const row = await trx
    .selectFrom('configuration_positions')
    .select('position')
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
  if (row && Number(row.position) >= position) return false;
  await trx
    .insertInto('configuration_positions')
    .values({ organization_id: organizationId, position })
    .onConflict((conflict) => conflict.column('organization_id').doUpdateSet({ position }))
    .execute();
  return true;
}

async function applyToAgents(
  trx: Transaction<RouterDatabase>,
  organizationId: string,
  event: ConfigurationEvent,
  at: Date,
): Promise<void> {
  const touched = agentsTouchedBy(event);
  if (touched === 'none') return;
  let query = trx.selectFrom('agents').selectAll().where('organization_id', '=', organizationId);
  if (touched !== 'all') query = query.where('agent_id', '=', touched.agentId);
  const rows = await query.forUpdate().execute();
  const known = rows.map(toDirectoryAgent);
  // An agent the router never heard of can only be created; other changes have nobody to touch.
  const before: (DirectoryAgent | undefined)[] =
    touched !== 'all' && known.length === 0 ? [undefined] : known;
  for (const agent of before) {
    const after = evolveAgent(agent, event);
    if (after && after !== agent) await saveAgent(trx, organizationId, after, at);
  }
}

function toDirectoryAgent(row: Selectable<AgentsTable>): DirectoryAgent {
  return {
    agentId: row.agent_id,
    userType: row.user_type === 'bot' ? 'bot' : 'agent',
    name: row.name,
    avatar: row.avatar,
    groupPriorities:
      row.configured || Object.keys(row.group_priorities).length > 0
        ? row.group_priorities
        : // Groups learnt from a token carry no priority: LiveChat's default.
          Object.fromEntries(row.group_ids.map((groupId) => [groupId, 'normal'])),
    maxChatsCount: row.max_chats_count ?? undefined,
    status: row.status as RoutingStatus,
    removed: row.removed ?? undefined,
  };
}

async function saveAgent(
  trx: Transaction<RouterDatabase>,
  organizationId: string,
  agent: DirectoryAgent,
  at: Date,
): Promise<void> {
  const described = {
    user_type: agent.userType,
    name: agent.name,
    avatar: agent.avatar,
    group_ids: groupIdsOf(agent),
    group_priorities: JSON.stringify(agent.groupPriorities),
    max_chats_count: agent.maxChatsCount ?? null,
    status: agent.status,
    removed: agent.removed ?? null,
    configured: true,
    updated_at: at,
  };
  await trx
    .insertInto('agents')
    .values({
      organization_id: organizationId,
      agent_id: agent.agentId,
      // LiveChat's agent id is their e-mail; a bot has none.
      email: agent.userType === 'agent' ? agent.agentId : '',
      last_assigned_at: null,
      ...described,
    })
    .onConflict((conflict) =>
      conflict.columns(['organization_id', 'agent_id']).doUpdateSet(described),
    )
    .execute();
}
