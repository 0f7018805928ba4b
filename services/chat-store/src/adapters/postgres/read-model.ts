import { readingOrder } from '@threadline/protocol';
import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { ChatListQuery, ChatReadModel } from '../../application/read-model.ts';
import type { ThreadRow } from '../../domain/projections/rows.ts';
import { listArchives } from './archive-queries.ts';
import type { Database } from './database.ts';
import { propertiesConditions, scopeCondition } from './filters.ts';
import { eventColumns, toChatRow, toEventRow, toThreadRow } from './row-mapping.ts';

/** The query side's reads over the projection tables. */
export function createReadModel(db: Kysely<Database>): ChatReadModel {
  return {
    async findChat(organizationId, chatId) {
      const row = await db
        .selectFrom('chats')
        .selectAll()
        .where('organization_id', '=', organizationId)
        .where('id', '=', chatId)
        .executeTakeFirst();
      return row && toChatRow(row);
    },

    async findThread(organizationId, chatId, threadId) {
      const row = await db
        .selectFrom('threads')
        .selectAll()
        .where('organization_id', '=', organizationId)
        .where('chat_id', '=', chatId)
        .where('id', '=', threadId)
        .executeTakeFirst();
      return row && toThreadRow(row);
    },

    async listEvents(organizationId, chatId, threadIds, customerView) {
      let query = db
        .selectFrom('events')
        .select(eventColumns)
        .where('organization_id', '=', organizationId)
        .where('chat_id', '=', chatId)
        .where('thread_id', 'in', [...threadIds]);
      if (customerView) query = query.where('visibility', '=', 'all').where('deleted', '=', false);
      const rows = await query.orderBy('thread_id').orderBy('event_order').execute();
      return rows.map(toEventRow);
    },

    async listEventsOfThreads(organizationId, threads) {
      if (threads.length === 0) return [];
      const rows = await db
        .selectFrom('events')
        .select(eventColumns)
        .where('organization_id', '=', organizationId)
        .where((eb) =>
          eb(
            eb.refTuple('chat_id', 'thread_id'),
            'in',
            threads.map((thread) => eb.tuple(thread.chatId, thread.id)),
          ),
        )
        .orderBy('chat_id')
        .orderBy('thread_id')
        .orderBy('event_order')
        .execute();
      return rows.map(toEventRow);
    },

    listArchives: (query) => listArchives(db, query),

    async listThreadAccess(organizationId, chatIds) {
      if (chatIds.length === 0) return [];
      const rows = await db
        .selectFrom('threads')
        .select(['chat_id', 'id', 'thread_order', 'access_group_ids', 'user_ids'])
        .where('organization_id', '=', organizationId)
        .where('chat_id', 'in', [...chatIds])
        .orderBy('chat_id')
        .orderBy('thread_order')
        .execute();
      return rows.map((row) => ({
        chatId: row.chat_id,
        id: row.id,
        order: row.thread_order,
        access: { group_ids: row.access_group_ids },
        userIds: row.user_ids,
      }));
    },

    async listChats(query) {
      const order = readingOrder(query.sortOrder, query.direction);
      let page = db
        .selectFrom('chats')
        .selectAll()
        .where((eb) => chatFilter(eb, query));
      if (query.cursor) {
        const { at, id } = query.cursor;
        const comparison = order === 'desc' ? sql`<` : sql`>`;
        page = page.where(sql<boolean>`(last_thread_created_at, id) ${comparison} (${at}, ${id})`);
      }
      const [rows, count] = await Promise.all([
        page
          .orderBy('last_thread_created_at', order)
          .orderBy('id', order)
          .limit(query.take)
          .execute(),
        db
          .selectFrom('chats')
          .select((eb) => eb.fn.countAll<number>().as('total'))
          .where((eb) => chatFilter(eb, query))
          .executeTakeFirstOrThrow(),
      ]);
      const lastThreads = await findLastThreads(db, query.organizationId, rows);
      return {
        rows: rows.map((row) => {
          const lastThread = row.last_thread_id
            ? lastThreads.get(`${row.id}/${row.last_thread_id}`)
            : undefined;
          return { chat: toChatRow(row), ...(lastThread ? { lastThread } : {}) };
        }),
        total: Number(count.total),
      };
    },

    async listThreads(query) {
      const order = readingOrder(query.sortOrder, query.direction);
      const filter = (eb: ExpressionBuilder<Database, 'threads'>) =>
        eb.and([
          eb('organization_id', '=', query.organizationId),
          eb('chat_id', '=', query.chatId),
          ...(query.from ? [eb('created_at', '>=', query.from)] : []),
          ...(query.to ? [eb('created_at', '<=', query.to)] : []),
        ]);
      let page = db.selectFrom('threads').selectAll().where(filter);
      if (query.cursor !== undefined)
        page = page.where('thread_order', order === 'desc' ? '<' : '>', query.cursor);
      const [rows, count] = await Promise.all([
        page.orderBy('thread_order', order).limit(query.take).execute(),
        db
          .selectFrom('threads')
          .select((eb) => eb.fn.countAll<number>().as('total'))
          .where(filter)
          .executeTakeFirstOrThrow(),
      ]);
      return { rows: rows.map(toThreadRow), total: Number(count.total) };
    },
  };
}

/** The chats a list may show (scope, see `canSeeChat`) narrowed by the request's filters. */
function chatFilter(eb: ExpressionBuilder<Database, 'chats'>, query: ChatListQuery) {
  const conditions: Expression<SqlBool>[] = [eb('organization_id', '=', query.organizationId)];
  const scope = scopeCondition(query.scope);
  if (scope) conditions.push(scope);
  if (typeof query.active === 'boolean') conditions.push(eb('active', '=', query.active));
  if (query.groupIds?.length)
    conditions.push(sql<boolean>`access_group_ids && ${query.groupIds}::integer[]`);
  if (query.properties) conditions.push(...propertiesConditions(query.properties));
  if (query.withoutThreads === false) conditions.push(eb('last_thread_id', 'is not', null));
  return eb.and(conditions);
}

async function findLastThreads(
  db: Kysely<Database>,
  organizationId: string,
  chats: readonly { id: string; last_thread_id: string | null }[],
): Promise<Map<string, ThreadRow>> {
  const threadIds = chats.flatMap((chat) => (chat.last_thread_id ? [chat.last_thread_id] : []));
  if (threadIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('threads')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where(
      'chat_id',
      'in',
      chats.map((chat) => chat.id),
    )
    .where('id', 'in', threadIds)
    .execute();
  return new Map(rows.map((row) => [`${row.chat_id}/${row.id}`, toThreadRow(row)]));
}
