import type { Selectable, Transaction } from 'kysely';
import type { AgentCandidate, OrganizationRouting } from '../../application/ports.ts';
import type { RoutingStatus, WaitingChat } from '../../domain/routing.decide.ts';
import { concurrencyLimit, type RoutingSettings } from '../../domain/routing-settings.ts';
import type { AgentsTable, RouterDatabase } from './database.ts';
import { readRoutingSettings } from './routing-settings.ts';

/**
 * One organization's routing state inside a transaction that holds its advisory lock. Every
 * insert and delete of assignments happens here, so the loads read here are the loads that are.
 */
export function createOrganizationRouting(
  trx: Transaction<RouterDatabase>,
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
    async recordAssignment({ chatId, threadId, agentId, routed, confirmed, at }) {
      const inserted = await trx
        .insertInto('assignments')
        .values({
          ...thread(chatId, threadId),
          agent_id: agentId,
          routed,
          confirmed,
          assigned_at: at,
          attempted_at: at,
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
    async confirmAssignment(chatId, threadId, agentId) {
      await trx
        .updateTable('assignments')
        .set({ confirmed: true })
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
    async removeUserFromChat(chatId, userId) {
      const result = await trx
        .deleteFrom('assignments')
        .where('organization_id', '=', organizationId)
        .where('chat_id', '=', chatId)
        .where('agent_id', '=', userId)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async closeThread(chatId, threadId, at) {
      await rememberRecentAgent(trx, organizationId, chatId, threadId, at);
      await trx
        .insertInto('closed_threads')
        .values(thread(chatId, threadId))
        .onConflict((c) => c.doNothing())
        .execute();
      await trx
        .deleteFrom('waiting_chats')
        .where('organization_id', '=', organizationId)
        .where('chat_id', '=', chatId)
        .where('thread_id', '=', threadId)
        .execute();
      const result = await trx
        .deleteFrom('assignments')
        .where('organization_id', '=', organizationId)
        .where('chat_id', '=', chatId)
        .where('thread_id', '=', threadId)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async isThreadClosed(chatId, threadId) {
      const row = await trx
        .selectFrom('closed_threads')
        .select('thread_id')
        .where('organization_id', '=', organizationId)
        .where('chat_id', '=', chatId)
        .where('thread_id', '=', threadId)
        .executeTakeFirst();
      return row !== undefined;
    },
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
        })
        .onConflict((conflict) => conflict.doNothing())
        .execute();
    },
    async dequeue(chatId, threadId) {
      await trx
        .deleteFrom('waiting_chats')
        .where('organization_id', '=', organizationId)
        .where('chat_id', '=', chatId)
        .where('thread_id', '=', threadId)
        .execute();
    },
  };
}

/**
 * The agent who joined the closing thread last is who the customer last talked to (a transfer
 * replaces the agents, so that is the transfer's target), for `prefer_recent_agent`.
 */
async function rememberRecentAgent(
  trx: Transaction<RouterDatabase>,
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
    name: row.name,
    email: row.email,
    avatar: row.avatar,
  };
}
