import { type Kysely, sql, type Transaction } from 'kysely';
import type { AgentSessionsPort, LostAgent } from '../../application/ports.ts';
import type { AgentLossReason } from '../../domain/agent-loss.decide.ts';
import type { RoutingStatus } from '../../domain/routing.decide.ts';
import type { RouterDatabase } from './database.ts';
import { lockOrganization, saveStatus } from './routing-store.ts';

type Db = Kysely<RouterDatabase> | Transaction<RouterDatabase>;

/**
 * Agents' RTM sessions, one row per agent and gateway, kept by the gateways' login, logout and
 * heartbeats. An agent with no session left is offline and lost: their chats are handed on at
 * `lost_at` unless a session comes back first. The first loss stands until then (a suspension
 * is not turned into a disconnect by the socket the gateway closes for it).
 */
export function createAgentSessions(db: Kysely<RouterDatabase>): AgentSessionsPort {
  return {
    connect: (organizationId, agentId, gatewayId, now, request, profile) =>
      db.transaction().execute(async (trx) => {
        await lockOrganization(trx, organizationId);
        const sessionsBefore = await countSessions(trx, organizationId, agentId);
        await renewSessions(trx, gatewayId, [{ organizationId, agentId }], now);
        const agent = await trx
          .selectFrom('agents')
          .select(['status', 'status_before_offline'])
          .where((eb) => eb.and({ organization_id: organizationId, agent_id: agentId }))
          .executeTakeFirst();
        const current = agent?.status as RoutingStatus | undefined;
        // Another tab or gateway already set the agent's status: a further login keeps it.
        const keep = sessionsBefore > 0 && current !== undefined && current !== 'offline';
        const restored = request.reconnect ? agent?.status_before_offline : null;
        const status = keep ? current : ((restored as RoutingStatus | null) ?? request.status);
        await saveStatus(trx, organizationId, agentId, status, profile, now);
        await trx
          .updateTable('agents')
          .set({ lost_at: null, lost_reason: null, lost_key: null })
          .where((eb) => eb.and({ organization_id: organizationId, agent_id: agentId }))
          .execute();
        return { status, changed: status !== current };
      }),

    disconnect: (organizationId, agentId, gatewayId, now, loss) =>
      db.transaction().execute(async (trx) => {
        await lockOrganization(trx, organizationId);
        let sessions = trx
          .deleteFrom('agent_sessions')
          .where((eb) => eb.and({ organization_id: organizationId, agent_id: agentId }));
        if (gatewayId !== undefined) sessions = sessions.where('gateway_id', '=', gatewayId);
        await sessions.execute();
        if ((await countSessions(trx, organizationId, agentId)) > 0) return { wentOffline: false };
        return { wentOffline: await goOffline(trx, organizationId, agentId, now, loss) };
      }),

    refresh: (gatewayId, sessions, now) =>
      db.transaction().execute(async (trx) => {
        if (sessions.length === 0) return [];
        const renewed = await renewSessions(trx, gatewayId, sessions, now);
        // A session the router had ended (it missed heartbeats, e.g. while it was down) is live
        // after all: the agent comes back as they were, their lost connection forgiven.
        const revived: { organizationId: string; agentId: string; status: RoutingStatus }[] = [];
        for (const row of renewed.filter((one) => one.inserted)) {
          const agent = await trx
            .updateTable('agents')
            .set((eb) => ({
              status: eb.fn.coalesce('status_before_offline', eb.val('accepting_chats')),
              lost_at: null,
              lost_reason: null,
              lost_key: null,
              updated_at: now,
            }))
            .where((eb) => eb.and({ organization_id: row.organization_id, agent_id: row.agent_id }))
            .where('status', '=', 'offline')
            .where('removed', 'is', null)
            .where((eb) =>
              eb.or([eb('lost_reason', 'is', null), eb('lost_reason', '=', 'disconnected')]),
            )
            .returning('status')
            .executeTakeFirst();
          if (agent) {
            revived.push({
              organizationId: row.organization_id,
              agentId: row.agent_id,
              status: agent.status as RoutingStatus,
            });
          }
        }
        return revived;
      }),

    expire: (seenBefore, now, loss) =>
      db.transaction().execute(async (trx) => {
        const stale = await trx
          .deleteFrom('agent_sessions')
          .where('seen_at', '<', seenBefore)
          .returning(['organization_id', 'agent_id'])
          .execute();
        const gone: { organizationId: string; agentId: string }[] = [];
        const agents = new Map(
          stale.map((row) => [`${row.organization_id}\u0000${row.agent_id}`, row]),
        );
        for (const row of agents.values()) {
          if ((await countSessions(trx, row.organization_id, row.agent_id)) > 0) continue;
          if (await goOffline(trx, row.organization_id, row.agent_id, now, loss)) {
            gone.push({ organizationId: row.organization_id, agentId: row.agent_id });
          }
        }
        return gone;
      }),

    async markLost(organizationId, agentId, reason, at) {
      await db
        .updateTable('agents')
        .set({ lost_at: at, lost_reason: reason, lost_key: `${reason}:${at.getTime()}` })
        .where((eb) => eb.and({ organization_id: organizationId, agent_id: agentId }))
        .where('lost_at', 'is', null)
        .execute();
    },

    claimLost: (now, limit, leaseUntil) =>
      db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('agents')
          .select(['organization_id', 'agent_id', 'lost_reason', 'lost_key'])
          .where('lost_at', '<=', now)
          .orderBy('lost_at')
          .limit(limit)
          .forUpdate()
          .skipLocked()
          .execute();
        const lost: LostAgent[] = [];
        for (const row of rows) {
          await trx
            .updateTable('agents')
            .set({ lost_at: leaseUntil })
            .where((eb) => eb.and({ organization_id: row.organization_id, agent_id: row.agent_id }))
            .execute();
          lost.push({
            organizationId: row.organization_id,
            agentId: row.agent_id,
            reason: (row.lost_reason ?? 'disconnected') as AgentLossReason,
            key: row.lost_key ?? 'lost',
          });
        }
        return lost;
      }),

    async clearLost(organizationId, agentId, key) {
      await db
        .updateTable('agents')
        .set({ lost_at: null, lost_reason: null, lost_key: null })
        .where((eb) =>
          eb.and({ organization_id: organizationId, agent_id: agentId, lost_key: key }),
        )
        .execute();
    },
  };
}

/** Sessions seen `now` on the gateway; `inserted` for those the router had not (or no longer). */
function renewSessions(
  db: Db,
  gatewayId: string,
  sessions: readonly { organizationId: string; agentId: string }[],
  now: Date,
) {
  return db
    .insertInto('agent_sessions')
    .values(
      sessions.map((session) => ({
        organization_id: session.organizationId,
        agent_id: session.agentId,
        gateway_id: gatewayId,
        seen_at: now,
      })),
    )
    .onConflict((conflict) =>
      conflict.columns(['organization_id', 'agent_id', 'gateway_id']).doUpdateSet({ seen_at: now }),
    )
    .returning(['organization_id', 'agent_id', sql<boolean>`xmax = 0`.as('inserted')])
    .execute();
}

async function countSessions(db: Db, organizationId: string, agentId: string): Promise<number> {
  const row = await db
    .selectFrom('agent_sessions')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where((eb) => eb.and({ organization_id: organizationId, agent_id: agentId }))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * The agent's last session ended: offline (remembering the status to restore on a reconnect),
 * and lost at `loss.at` unless already lost. False when the router never knew the agent.
 */
async function goOffline(
  db: Db,
  organizationId: string,
  agentId: string,
  now: Date,
  loss: { reason: AgentLossReason; at: Date },
): Promise<boolean> {
  const updated = await db
    .updateTable('agents')
    .set((eb) => ({
      status_before_offline: sql<string>`CASE WHEN agents.status = 'offline' THEN agents.status_before_offline ELSE agents.status END`,
      status: 'offline',
      updated_at: now,
      lost_at: eb.fn.coalesce('lost_at', eb.val(loss.at)),
      lost_reason: eb.fn.coalesce('lost_reason', eb.val(loss.reason)),
      lost_key: eb.fn.coalesce('lost_key', eb.val(`${loss.reason}:${now.getTime()}`)),
    }))
    .where((eb) => eb.and({ organization_id: organizationId, agent_id: agentId }))
    .returning('agent_id')
    .executeTakeFirst();
  return updated !== undefined;
}
