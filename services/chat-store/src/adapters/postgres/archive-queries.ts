import { readingOrder } from '@threadline/protocol';
import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { ArchiveQuery } from '../../application/read-model.ts';
import type { Database } from './database.ts';
import {
  agentResponseConditions,
  agentsCondition,
  customerEmailCondition,
  eventTypesCondition,
  propertiesConditions,
  scopeCondition,
  tagsCondition,
  textCondition,
  unrecordedCondition,
} from './filters.ts';
import { toChatRow, toThreadRow } from './row-mapping.ts';

/**
 * `list_archives`: threads (one item each, with their chat) matching every given filter, in
 * thread creation order; the count of all matches alongside. Chats are read in a second query,
 * once per chat on the page.
 */
export async function listArchives(db: Kysely<Database>, query: ArchiveQuery) {
  const order = readingOrder(query.sortOrder, query.direction);
  const conditions = archiveConditions(query);
  const matching = db
    .selectFrom('threads')
    .innerJoin('chats', (join) =>
      join
        .onRef('chats.organization_id', '=', 'threads.organization_id')
        .onRef('chats.id', '=', 'threads.chat_id'),
    )
    .where((eb) => eb.and(conditions));
  let page = matching.selectAll('threads');
  if (query.cursor) {
    const { at, chat, thread } = query.cursor;
    const comparison = order === 'desc' ? sql`<` : sql`>`;
    page = page.where(
      sql<boolean>`(threads.created_at, threads.chat_id, threads.id) ${comparison} (${at}, ${chat}, ${thread})`,
    );
  }
  const [threads, count] = await Promise.all([
    page
      .orderBy('threads.created_at', order)
      .orderBy('threads.chat_id', order)
      .orderBy('threads.id', order)
      .limit(query.take)
      .execute(),
    matching.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  const chatIds = [...new Set(threads.map((thread) => thread.chat_id))];
  const chats = chatIds.length
    ? await db
        .selectFrom('chats')
        .selectAll()
        .where('organization_id', '=', query.organizationId)
        .where('id', 'in', chatIds)
        .execute()
    : [];
  const chatsById = new Map(chats.map((chat) => [chat.id, toChatRow(chat)]));
  return {
    rows: threads.flatMap((thread) => {
      const chat = chatsById.get(thread.chat_id);
      return chat ? [{ chat, thread: toThreadRow(thread) }] : [];
    }),
    total: Number(count.total),
  };
}

function archiveConditions(query: ArchiveQuery): Expression<SqlBool>[] {
  const { filters } = query;
  const conditions: Expression<SqlBool>[] = [
    sql<SqlBool>`threads.organization_id = ${query.organizationId}`,
  ];
  const scope = scopeCondition(query.scope);
  if (scope) conditions.push(scope);
  if (filters.from) conditions.push(sql<SqlBool>`threads.created_at >= ${filters.from}`);
  if (filters.to) conditions.push(sql<SqlBool>`threads.created_at <= ${filters.to}`);
  if (filters.chat_ids)
    conditions.push(sql<SqlBool>`threads.chat_id = ANY(${filters.chat_ids}::text[])`);
  if (filters.thread_ids)
    conditions.push(sql<SqlBool>`threads.id = ANY(${filters.thread_ids}::text[])`);
  if (filters.group_ids?.length) {
    conditions.push(sql<SqlBool>`threads.access_group_ids && ${filters.group_ids}::integer[]`);
  }
  if (filters.properties) conditions.push(...propertiesConditions(filters.properties));
  if (filters.agents) conditions.push(agentsCondition(filters.agents));
  if (filters.tags) conditions.push(tagsCondition(filters.tags));
  if (filters.event_types) conditions.push(eventTypesCondition(filters.event_types));
  if (filters.agent_response) conditions.push(...agentResponseConditions(filters.agent_response));
  if (filters.sales) conditions.push(unrecordedCondition(filters.sales));
  if (filters.goals) conditions.push(unrecordedCondition(filters.goals));
  if (filters.customer_id)
    conditions.push(sql<SqlBool>`chats.customer_id = ${filters.customer_id}`);
  if (filters.customer_email) conditions.push(customerEmailCondition(filters.customer_email));
  if (filters.query?.trim()) conditions.push(textCondition(filters.query));
  return conditions;
}
