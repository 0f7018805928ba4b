import { type Kysely, sql, type Transaction } from 'kysely';
import type { AgentProfile, AssignmentToDeliver, RoutingStore } from '../../application/ports.ts';
import type { RoutingStatus } from '../../domain/routing.decide.ts';
import type { RouterDatabase } from './database.ts';
import { createOrganizationRouting } from './organization-routing.ts';

/**
 * First key of the router's advisory locks; the second is the organization's hash. Two-key locks
 * live apart from single-key ones, so other users of advisory locks cannot collide with ours.
 */
const routingLockClass = 7301;

/** Holds the organization's routing lock until the transaction ends. */
export async function lockOrganization(
  trx: Transaction<RouterDatabase>,
  organizationId: string,
): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${routingLockClass}, hashtext(${organizationId}))`.execute(
    trx,
  );
}

export function createRoutingStore(db: Kysely<RouterDatabase>): RoutingStore {
  return {
    inOrganization: (organizationId, work) =>
      db.transaction().execute(async (trx) => {
        await lockOrganization(trx, organizationId);
        return work(createOrganizationRouting(trx, organizationId));
      }),

    async findAgentUserType(organizationId, agentId) {
      const row = await db
        .selectFrom('agents')
        .select('user_type')
        .where('organization_id', '=', organizationId)
        .where('agent_id', '=', agentId)
        .executeTakeFirst();
      return row?.user_type;
    },

    saveStatus: (organizationId, agentId, status, profile, at) =>
      saveStatus(db, organizationId, agentId, status, profile, at),

    async listAgents(organizationId) {
      const rows = await db
        .selectFrom('agents')
        .select(['agent_id', 'status', 'group_ids'])
        .where('organization_id', '=', organizationId)
        .where('removed', 'is', null)
        .orderBy('agent_id')
        .execute();
      return rows.map((row) => ({
        agentId: row.agent_id,
        status: row.status as RoutingStatus,
        groupIds: row.group_ids,
      }));
    },

    async confirmAssignment(organizationId, chatId, threadId, agentId) {
      await db
        .updateTable('assignments')
        .set({ confirmed: true })
        .where('organization_id', '=', organizationId)
        .where('chat_id', '=', chatId)
        .where('thread_id', '=', threadId)
        .where('agent_id', '=', agentId)
        .execute();
    },

    claimUnconfirmedAssignments: (triedBefore, now, limit) =>
      claimUnconfirmedAssignments(db, triedBefore, now, limit),

    async organizationsWithWaitingChats() {
      const rows = await db
        .selectFrom('waiting_chats')
        .select('organization_id')
        .distinct()
        .execute();
      return rows.map((row) => row.organization_id);
    },

    settlePendingAssignment: (organizationId, chatId, threadId, agentId, how) =>
      db.transaction().execute(async (trx) => {
        await lockOrganization(trx, organizationId);
        const thread = { organization_id: organizationId, chat_id: chatId, thread_id: threadId };
        const pending = { ...thread, agent_id: agentId, routed: false, confirmed: false };
        if (how === 'drop') {
          await trx
            .deleteFrom('assignments')
            .where((eb) => eb.and(pending))
            .execute();
          return;
        }
        // The thread's routed row, if any, belonged to the agent who left: it goes first.
        await trx
          .deleteFrom('assignments')
          .where((eb) => eb.and({ ...thread, routed: true }))
          .where('agent_id', '<>', agentId)
          .execute();
        await trx
          .updateTable('assignments')
          .set({ routed: true, attempted_at: new Date(0) })
          .where((eb) => eb.and(pending))
          .execute();
      }),

    async queueOf(organizationId, departuresSince) {
      // The same reads as under the lock, without it: a view may be a moment behind.
      const routing = createOrganizationRouting(db, organizationId);
      const [waiting, departures] = await Promise.all([
        routing.waitingChats(),
        routing.queueDepartures(departuresSince),
      ]);
      return { waiting, departures };
    },

    async countWaitingChats() {
      const row = await db
        .selectFrom('waiting_chats')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    async pruneQueueDepartures(leftBefore) {
      const result = await db
        .deleteFrom('queue_departures')
        .where('left_at', '<', leftBefore)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async pruneClosedThreads(closedBefore) {
      const result = await db
        .deleteFrom('closed_threads')
        .where('closed_at', '<', closedBefore)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export async function saveStatus(
  db: Kysely<RouterDatabase> | Transaction<RouterDatabase>,
  organizationId: string,
  agentId: string,
  status: RoutingStatus,
  profile: AgentProfile | undefined,
  at: Date,
): Promise<void> {
  const known = profile && {
    user_type: profile.userType,
    name: profile.name,
    email: profile.email,
    avatar: profile.avatar,
    group_ids: profile.groupIds,
    max_chats_count: profile.maxChatsCount ?? null,
  };
  // Another agent's status set by an administrator before that agent was ever seen: the profile
  // fills in when the agent sets a status themselves (every agent is in group 0 meanwhile).
  const unknown = {
    user_type: 'agent',
    name: '',
    email: '',
    avatar: '',
    group_ids: [],
    max_chats_count: null,
  };
  await db
    .insertInto('agents')
    .values({
      organization_id: organizationId,
      agent_id: agentId,
      status,
      updated_at: at,
      ...(known ?? unknown),
    })
    .onConflict((conflict) =>
      conflict.columns(['organization_id', 'agent_id']).doUpdateSet((eb) => ({
        status,
        updated_at: at,
        ...(known && {
          ...known,
          // The configuration stream's groups (with priorities) and limit win over the token's.
          group_ids: eb
            .case()
            .when('agents.configured', '=', true)
            .then(eb.ref('agents.group_ids'))
            .else(eb.ref('excluded.group_ids'))
            .end(),
          max_chats_count: eb
            .case()
            .when('agents.configured', '=', true)
            .then(eb.ref('agents.max_chats_count'))
            .else(eb.ref('excluded.max_chats_count'))
            .end(),
        }),
      })),
    )
    .execute();
}

async function claimUnconfirmedAssignments(
  db: Kysely<RouterDatabase>,
  triedBefore: Date,
  now: Date,
  limit: number,
): Promise<AssignmentToDeliver[]> {
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('assignments')
      .innerJoin('agents', (join) =>
        join
          .onRef('agents.organization_id', '=', 'assignments.organization_id')
          .onRef('agents.agent_id', '=', 'assignments.agent_id'),
      )
      .select([
        'assignments.organization_id',
        'assignments.chat_id',
        'assignments.thread_id',
        'assignments.agent_id',
        'assignments.assigned_at',
        'agents.name',
        'agents.email',
        'agents.avatar',
      ])
      .where('assignments.confirmed', '=', false)
      // A pending hand-over (not routed) is delivered by the system commands' outbox instead.
      .where('assignments.routed', '=', true)
      .where('assignments.attempted_at', '<', triedBefore)
      .orderBy('assignments.attempted_at')
      .limit(limit)
      .forUpdate('assignments')
      .skipLocked()
      .execute();
    for (const row of due) {
      await trx
        .updateTable('assignments')
        .set({ attempted_at: now })
        .where('organization_id', '=', row.organization_id)
        .where('chat_id', '=', row.chat_id)
        .where('thread_id', '=', row.thread_id)
        .where('agent_id', '=', row.agent_id)
        .execute();
    }
    return due.map((row) => ({
      organizationId: row.organization_id,
      chatId: row.chat_id,
      threadId: row.thread_id,
      agent: { id: row.agent_id, name: row.name, email: row.email, avatar: row.avatar },
      assignedAt: row.assigned_at,
    }));
  });
}
