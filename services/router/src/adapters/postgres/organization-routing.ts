import {
  type ExpressionBuilder,
  type Kysely,
  type Selectable,
  sql,
  type Transaction,
} from 'kysely';
import type {
  AgentCandidate,
  ChangedQueuePlace,
  OrganizationRouting,
} from '../../application/ports.ts';
import type { RoutingStatus, WaitingChat } from '../../domain/routing.decide.ts';
import { concurrencyLimit, type RoutingSettings } from '../../domain/routing-settings.ts';
import { toActiveThread } from './active-threads.ts';
import type { AgentsTable, RouterDatabase } from './database.ts';
import { readRoutingSettings } from './routing-settings.ts';
import { recordSystemCommands } from './system-commands.ts';

/**
 * One organization's routing state inside a transaction that holds its advisory lock (or, for
 * reads that may be a moment behind, outside one). Every insert and delete of assignments happens
 * here, so the loads read here are the loads that are.
 */
export function createOrganizationRouting(
  trx: Kysely<RouterDatabase>,
  organizationId: string,
): OrganizationRouting {
  const thread = (chatId: string, threadId: string) => ({
    organization_id: organizationId,
    chat_id: chatId,
    thread_id: threadId,
  });
  const agentsWithLoad = () =>
    trx
      .selectFrom('agents')
      .selectAll('agents')
      .select((eb) =>
        eb
          .selectFrom('assignments')
          .select(eb.fn.countAll<number>().as('load'))
          .whereRef('assignments.organization_id', '=', 'agents.organization_id')
          .whereRef('assignments.agent_id', '=', 'agents.agent_id')
          .as('load'),
      )
      .where('agents.organization_id', '=', organizationId);

  const recordDeparture = (chatId: string, agentId: string, version: number) =>
    trx
      .insertInto('chat_departures')
      .values({ organization_id: organizationId, chat_id: chatId, agent_id: agentId, version })
      .onConflict((conflict) =>
        conflict.columns(['organization_id', 'chat_id', 'agent_id']).doUpdateSet((eb) => ({
          version: eb.fn('greatest', ['chat_departures.version', eb.ref('excluded.version')]),
        })),
      )
      .execute();

  // Agents without a limit of their own get the organization's default.
  const organizationSettings = () => readRoutingSettings(trx, organizationId);

  return {
    settings: (groupId) => readRoutingSettings(trx, organizationId, groupId),
    async agentCandidates() {
      const rows = await agentsWithLoad()
        .where('agents.status', '=', 'accepting_chats')
        .where('agents.removed', 'is', null)
        .execute();
      const settings = await organizationSettings();
      return rows.map((row) => toCandidate(row, settings));
    },
    async findAgent(agentId) {
      const row = await agentsWithLoad().where('agents.agent_id', '=', agentId).executeTakeFirst();
      return row && toCandidate(row, await organizationSettings());
    },
    async recentAgentsOf(chatIds) {
      if (chatIds.length === 0) return new Map();
      const rows = await trx
        .selectFrom('chat_recent_agents')
        .select(['chat_id', 'agent_id'])
        .where('organization_id', '=', organizationId)
        .where('chat_id', 'in', [...chatIds])
        .execute();
      return new Map(rows.map((row) => [row.chat_id, row.agent_id]));
    },
    async assignmentsOfThread(chatId, threadId) {
      const rows = await trx
        .selectFrom('assignments')
        .select(['agent_id', 'routed', 'confirmed', 'assigned_at'])
        .where('organization_id', '=', organizationId)
        .where('chat_id', '=', chatId)
        .where('thread_id', '=', threadId)
        .execute();
      return rows.map((row) => ({
        agentId: row.agent_id,
        routed: row.routed,
        confirmed: row.confirmed,
        assignedAt: row.assigned_at,
      }));
    },
    async recordAssignment({ chatId, threadId, agentId, routed, confirmed, at, version }) {
      const inserted = await trx
        .insertInto('assignments')
        .values({
          ...thread(chatId, threadId),
          agent_id: agentId,
          routed,
          confirmed,
          assigned_at: at,
          attempted_at: at,
          joined_version: version ?? null,
        })
        .onConflict((conflict) => conflict.doNothing())
        .returning('agent_id')
        .executeTakeFirst();
      if (!inserted) return false;
      if (routed) {
        await trx
          .updateTable('agents')
          .set({ last_assigned_at: at })
          .where('organization_id', '=', organizationId)
          .where('agent_id', '=', agentId)
          .execute();
      }
      return true;
    },
    async confirmAssignment(chatId, threadId, agentId, version) {
      await trx
        .updateTable('assignments')
        .set({
          confirmed: true,
          ...(version === undefined
            ? {}
            : { joined_version: sql<number>`greatest(joined_version, ${version})` }),
        })
        .where('organization_id', '=', organizationId)
        .where('chat_id', '=', chatId)
        .where('thread_id', '=', threadId)
        .where('agent_id', '=', agentId)
        .execute();
    },
    async removeUnconfirmedAssignment(chatId, threadId, agentId) {
      await trx
        .deleteFrom('assignments')
        .where('organization_id', '=', organizationId)
        .where('chat_id', '=', chatId)
        .where('thread_id', '=', threadId)
        .where('agent_id', '=', agentId)
        .where('confirmed', '=', false)
        .execute();
    },
    async removeUserFromChat(chatId, userId, version) {
      if (version !== undefined) await recordDeparture(chatId, userId, version);
      const result = await trx
        .deleteFrom('assignments')
        .where('organization_id', '=', organizationId)
        .where('chat_id', '=', chatId)
        .where('agent_id', '=', userId)
        .$if(version !== undefined, (query) => query.where(joinedBefore(version!)))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async leftSince(chatId, agentId, version) {
      const departure = await trx
        .selectFrom('chat_departures')
        .select('version')
        .where('organization_id', '=', organizationId)
        .where('chat_id', '=', chatId)
        .where('agent_id', '=', agentId)
        .executeTakeFirst();
      return departure !== undefined && Number(departure.version) >= version;
    },
    async emptyThread(chatId, threadId, version) {
      const ended = await trx
        .deleteFrom('assignments')
        .where('organization_id', '=', organizationId)
        .where('chat_id', '=', chatId)
        .where('thread_id', '=', threadId)
        .where(joinedBefore(version))
        .returning('agent_id')
        .execute();
      for (const { agent_id } of ended) await recordDeparture(chatId, agent_id, version);
      return ended.length;
    },
    async closeThread(chatId, threadId, at, version) {
      await rememberRecentAgent(trx, organizationId, chatId, threadId, at);
      await trx
        .insertInto('closed_threads')
        .values(thread(chatId, threadId))
        .onConflict((c) => c.doNothing())
        .execute();
      const waiting = await trx
        .deleteFrom('waiting_chats')
        .where('organization_id', '=', organizationId)
        .where('chat_id', '=', chatId)
        .where('thread_id', '=', threadId)
        .executeTakeFirst();
      const result = await trx
        .deleteFrom('assignments')
        .where('organization_id', '=', organizationId)
        .where('chat_id', '=', chatId)
        .where('thread_id', '=', threadId)
        .executeTakeFirst();
      // Joins and leaves of a closed thread are stale whatever their version (closed_threads).
      if (version !== undefined) {
        await trx
          .deleteFrom('chat_departures')
          .where('organization_id', '=', organizationId)
          .where('chat_id', '=', chatId)
          .where('version', '<=', String(version))
          .execute();
      }
      return {
        freed: Number(result.numDeletedRows),
        wasWaiting: Number(waiting.numDeletedRows) > 0,
      };
    },
    isThreadClosed: (chatId, threadId) => isThreadClosed(trx, organizationId, chatId, threadId),
    async waitingChats() {
      const rows = await trx
        .selectFrom('waiting_chats')
        .selectAll()
        .where('organization_id', '=', organizationId)
        .orderBy('queued_at')
        .execute();
      return rows.map(
        (row): WaitingChat => ({
          chatId: row.chat_id,
          threadId: row.thread_id,
          groupIds: row.group_ids,
          queuedAt: row.queued_at.getTime(),
          ignoreAgents: row.ignore_agents,
          ignoreBots: row.ignore_bots,
        }),
      );
    },
    async isWaiting(chatId, threadId) {
      const row = await trx
        .selectFrom('waiting_chats')
        .select('thread_id')
        .where('organization_id', '=', organizationId)
        .where('chat_id', '=', chatId)
        .where('thread_id', '=', threadId)
        .executeTakeFirst();
      return row !== undefined;
    },
    async enqueue(chat, at) {
      await trx
        .insertInto('waiting_chats')
        .values({
          ...thread(chat.chatId, chat.threadId),
          group_ids: [...chat.groupIds],
          queued_at: at,
          ignore_agents: chat.ignoreAgents === true,
          ignore_bots: chat.ignoreBots === true,
          customer_id: chat.customerId ?? null,
        })
        .onConflict((conflict) => conflict.doNothing())
        .execute();
    },
    async dequeue(chatId, threadId, served) {
      const left = await trx
        .deleteFrom('waiting_chats')
        .where('organization_id', '=', organizationId)
        .where('chat_id', '=', chatId)
        .where('thread_id', '=', threadId)
        .returning(['queued_at', 'group_ids'])
        .executeTakeFirst();
      if (!left) return undefined;
      const thread = { groupIds: left.group_ids };
      if (!served) return thread;
      await trx
        .insertInto('queue_departures')
        .values({
          organization_id: organizationId,
          left_at: served.at,
          waited_ms: Math.max(0, served.at.getTime() - left.queued_at.getTime()),
        })
        .execute();
      return thread;
    },
    async recordPendingAssignment(chatId, threadId, agentId, at) {
      await trx
        .insertInto('assignments')
        .values({
          ...thread(chatId, threadId),
          agent_id: agentId,
          routed: false,
          confirmed: false,
          assigned_at: at,
          attempted_at: at,
        })
        .onConflict((conflict) => conflict.doNothing())
        .execute();
    },
    async threadsOfAgent(agentId) {
      const rows = await trx
        .selectFrom('assignments as mine')
        .leftJoin('active_threads', (join) =>
          join
            .onRef('active_threads.organization_id', '=', 'mine.organization_id')
            .onRef('active_threads.chat_id', '=', 'mine.chat_id')
            .onRef('active_threads.thread_id', '=', 'mine.thread_id'),
        )
        .select([
          'mine.chat_id',
          'mine.thread_id',
          'active_threads.group_ids',
          'active_threads.continuous',
        ])
        .select((eb) => [
          eb
            .selectFrom('assignments as other')
            .select(
              sql<string[]>`coalesce(array_agg(other.agent_id ORDER BY other.agent_id), '{}')`.as(
                'ids',
              ),
            )
            .whereRef('other.organization_id', '=', 'mine.organization_id')
            .whereRef('other.chat_id', '=', 'mine.chat_id')
            .whereRef('other.thread_id', '=', 'mine.thread_id')
            .whereRef('other.agent_id', '<>', 'mine.agent_id')
            .where('other.confirmed', '=', true)
            .as('other_agent_ids'),
          eb
            .exists(
              eb
                .selectFrom('assignments as pending')
                .select('pending.agent_id')
                .whereRef('pending.organization_id', '=', 'mine.organization_id')
                .whereRef('pending.chat_id', '=', 'mine.chat_id')
                .whereRef('pending.thread_id', '=', 'mine.thread_id')
                .where('pending.routed', '=', false)
                .where('pending.confirmed', '=', false),
            )
            .as('handing_over'),
        ])
        .where('mine.organization_id', '=', organizationId)
        .where('mine.agent_id', '=', agentId)
        .where('mine.confirmed', '=', true)
        .orderBy('mine.assigned_at')
        .orderBy('mine.chat_id')
        .execute();
      return rows.map((row) => ({
        chatId: row.chat_id,
        threadId: row.thread_id,
        groupIds: row.group_ids ?? [0],
        continuous: row.continuous ?? false,
        otherAgentIds: row.other_agent_ids ?? [],
        handingOver: Boolean(row.handing_over),
      }));
    },
    async activeThread(chatId) {
      const row = await trx
        .selectFrom('active_threads')
        .selectAll()
        .where('organization_id', '=', organizationId)
        .where('chat_id', '=', chatId)
        .executeTakeFirst();
      return row && toActiveThread(row);
    },
    recordSystemCommands: (commands, now) => recordSystemCommands(trx, commands, now),
    async queueDepartures(since) {
      const rows = await trx
        .selectFrom('queue_departures')
        .select(['left_at', 'waited_ms'])
        .where('organization_id', '=', organizationId)
        .where('left_at', '>=', since)
        .execute();
      return rows.map((row) => ({
        leftAt: row.left_at.getTime(),
        waitedMs: Number(row.waited_ms),
      }));
    },
    async updateQueuePlaces(places) {
      const rows = await trx
        .selectFrom('waiting_chats')
        .leftJoin('active_threads', (join) =>
          join
            .onRef('active_threads.organization_id', '=', 'waiting_chats.organization_id')
            .onRef('active_threads.chat_id', '=', 'waiting_chats.chat_id'),
        )
        .select([
          'waiting_chats.chat_id',
          'waiting_chats.thread_id',
          'waiting_chats.group_ids',
          'waiting_chats.position',
          'waiting_chats.wait_time',
          (eb) =>
            eb.fn
              .coalesce('waiting_chats.customer_id', 'active_threads.customer_id')
              .as('customer_id'),
        ])
        .where('waiting_chats.organization_id', '=', organizationId)
        .execute();
      const changed: ChangedQueuePlace[] = [];
      for (const row of rows) {
        const place = places.get(row.chat_id);
        if (!place || (place.position === row.position && place.waitTime === row.wait_time)) {
          continue;
        }
        await trx
          .updateTable('waiting_chats')
          .set({ position: place.position, wait_time: place.waitTime })
          .where('organization_id', '=', organizationId)
          .where('chat_id', '=', row.chat_id)
          .where('thread_id', '=', row.thread_id)
          .execute();
        changed.push({
          chatId: row.chat_id,
          threadId: row.thread_id,
          groupIds: row.group_ids,
          customerId: row.customer_id ?? undefined,
          place,
        });
      }
      return changed;
    },
  };
}

/**
 * The agent who joined the closing thread last is who the customer last talked to (a transfer
 * replaces the agents, so that is the transfer's target), for `prefer_recent_agent`.
 */
async function rememberRecentAgent(
  trx: Kysely<RouterDatabase>,
  organizationId: string,
  chatId: string,
  threadId: string,
  at: Date,
): Promise<void> {
  const last = await trx
    .selectFrom('assignments')
    .select('agent_id')
    .where('organization_id', '=', organizationId)
    .where('chat_id', '=', chatId)
    .where('thread_id', '=', threadId)
    .orderBy('assigned_at', 'desc')
    .orderBy('agent_id')
    .limit(1)
    .executeTakeFirst();
  if (!last) return;
  await trx
    .insertInto('chat_recent_agents')
    .values({
      organization_id: organizationId,
      chat_id: chatId,
      agent_id: last.agent_id,
      served_at: at,
    })
    .onConflict((conflict) =>
      conflict
        .columns(['organization_id', 'chat_id'])
        .doUpdateSet({ agent_id: last.agent_id, served_at: at }),
    )
    .execute();
}

function toCandidate(
  row: Selectable<AgentsTable> & { load: number | null },
  settings: RoutingSettings,
): AgentCandidate {
  return {
    agentId: row.agent_id,
    status: row.status as RoutingStatus,
    groupIds: row.group_ids,
    groupPriorities: row.group_priorities,
    maxChatsCount: concurrencyLimit(row.max_chats_count ?? undefined, settings),
    load: Number(row.load ?? 0),
    lastAssignedAt: row.last_assigned_at?.getTime(),
    isBot: row.user_type === 'bot',
    name: row.name,
    email: row.email,
    avatar: row.avatar,
  };
}

/** Whether the router saw the thread close (it then ignores late news of it). */
export async function isThreadClosed(
  db: Kysely<RouterDatabase> | Transaction<RouterDatabase>,
  organizationId: string,
  chatId: string,
  threadId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('closed_threads')
    .select('thread_id')
    .where((eb) =>
      eb.and({ organization_id: organizationId, chat_id: chatId, thread_id: threadId }),
    )
    .executeTakeFirst();
  return row !== undefined;
}

/** Assignments a change at `version` ends: those from before it (or of no known version). */
function joinedBefore(version: number) {
  return (eb: ExpressionBuilder<RouterDatabase, 'assignments'>) =>
    eb.or([eb('joined_version', 'is', null), eb('joined_version', '<', String(version))]);
}
