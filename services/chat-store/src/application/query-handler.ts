import type { Command } from '@threadline/contracts';
import {
  formatTimestamp,
  type MethodPayload,
  ProtocolError,
  pageOf,
  resolvePage,
} from '@threadline/protocol';
import { canSeeChat } from '../domain/chat.access.ts';
import type { Actor } from '../domain/chat.types.ts';
import {
  agentChatSummary,
  chatView,
  customerChatSummary,
  readerOf,
  threadWithEvents,
} from '../domain/projections/chat.views.ts';
import type { ChatRow, EventRow, ThreadRow } from '../domain/projections/rows.ts';
import { listArchives } from './archives.ts';
import { parseMethodPayload, toActor } from './command-parsing.ts';
import type { QueuePlaces, ThreadQueue } from './ports.ts';
import type { ChatCursor, ChatReadModel, ChatScope } from './read-model.ts';

interface ChatUserView {
  type: string;
  present?: boolean | undefined;
}

type ChatFilters = NonNullable<MethodPayload<'list_chats'>['filters']>;
type ThreadFilters = NonNullable<MethodPayload<'list_threads'>['filters']> & {
  min_events_count?: number;
};

/** Customers page through at most 25 chats at a time (spec §3). */
const customerChatsLimit = 25;

/**
 * chat-store's `query`: get_chat, list_chats, list_threads, list_archives over the Postgres projections, with
 * the same access rules as commands (a chat one may not see is `not_found`).
 */
export function createQueryHandler(readModel: ChatReadModel, queue: QueuePlaces) {
  async function query(command: Command): Promise<unknown> {
    const actor = toActor(command.requester);
    switch (command.action) {
      case 'get_chat':
        return getChat(actor, parseMethodPayload('get_chat', command.payloadJson));
      case 'list_chats':
        return listChats(actor, parseMethodPayload('list_chats', command.payloadJson));
      case 'list_threads':
        return listThreads(actor, parseMethodPayload('list_threads', command.payloadJson));
      case 'list_archives':
        return listArchives(
          readModel,
          actor,
          scopeOf(actor),
          parseMethodPayload('list_archives', command.payloadJson),
        );
      default:
        throw new ProtocolError(
          'validation',
          `Unknown chat-store query: ${command.action || '(none)'}`,
        );
    }
  }

  async function getChat(actor: Actor, payload: MethodPayload<'get_chat'>) {
    const chat = await visibleChat(actor, payload.chat_id);
    const threadId = payload.thread_id ?? chat.lastThreadId;
    const thread = threadId
      ? await readModel.findThread(chat.organizationId, chat.id, threadId)
      : undefined;
    if (payload.thread_id && !thread) throw new ProtocolError('not_found', 'Thread not found');
    const events = thread ? await eventsOf(actor, chat, [thread]) : [];
    const view = chatView(
      chat,
      thread,
      events.map((row) => row.event),
      readerOf(actor),
    );
    const [queued] = await withQueues(chat.organizationId, [
      { chatId: chat.id, users: view.users, thread: view.thread },
    ]);
    return queued?.thread === view.thread ? view : { ...view, thread: queued?.thread };
  }

  async function listChats(actor: Actor, payload: MethodPayload<'list_chats'>) {
    if (actor.type === 'customer' && (payload.limit ?? 0) > customerChatsLimit) {
      throw new ProtocolError(
        'validation',
        `Wrong format of request: limit: at most ${customerChatsLimit}`,
      );
    }
    const page = resolvePage<ChatFilters, ChatCursor>(payload, payload.filters, {
      limit: 10,
      filters: {},
    });
    const { rows, total } = await readModel.listChats({
      organizationId: actor.organizationId,
      scope: scopeOf(actor),
      active: page.filters.active,
      groupIds: page.filters.group_ids,
      properties: page.filters.properties,
      withoutThreads: page.filters.include_chats_without_threads,
      sortOrder: page.sortOrder,
      direction: page.direction,
      cursor: page.cursor,
      take: page.limit + 1,
    });
    const { items, ...pages } = pageOf(rows, page, ({ chat }) => ({
      at: chat.lastThreadCreatedAt ?? chat.createdAt,
      id: chat.id,
    }));
    if (actor.type === 'customer') {
      return {
        chats_summary: items.map(({ chat }) => customerChatSummary(chat)),
        total_chats: total,
        ...pages,
      };
    }
    const summaries = items.map(({ chat, lastThread }) =>
      agentChatSummary(chat, lastThread, readerOf(actor)),
    );
    const queued = await withQueues(
      actor.organizationId,
      summaries.map((summary) => ({
        chatId: summary.id,
        users: summary.users,
        thread: summary.last_thread_summary,
      })),
    );
    return {
      chats_summary: summaries.map((summary, index) => ({
        ...summary,
        ...(queued[index]?.thread ? { last_thread_summary: queued[index].thread } : {}),
      })),
      found_chats: total,
      ...pages,
    };
  }

  /**
   * Active threads nobody carries may be waiting in the router's queue: they show where they
   * stand (`queue{position, wait_time, queued_at}`), asked of the router in one request.
   */
  async function withQueues<T extends { id: string; active?: boolean } | undefined>(
    organizationId: string,
    entries: readonly { chatId: string; users: readonly ChatUserView[]; thread: T }[],
  ): Promise<{ thread: T | (T & { queue: ThreadQueue }) }[]> {
    const unattended = entries.filter(
      ({ thread, users }) =>
        thread?.active === true &&
        !users.some((user) => user.type === 'agent' && user.present === true),
    );
    const places = await queue.of(
      organizationId,
      unattended.map(({ chatId, thread }) => ({ chatId, threadId: thread!.id })),
    );
    return entries.map(({ chatId, thread }) => {
      const place = thread?.active ? places.get(chatId) : undefined;
      return { thread: place && thread ? { ...thread, queue: place } : thread };
    });
  }

  async function listThreads(actor: Actor, payload: MethodPayload<'list_threads'>) {
    const chat = await visibleChat(actor, payload.chat_id);
    if (
      payload.min_events_count !== undefined &&
      (payload.limit !== undefined || payload.filters)
    ) {
      throw new ProtocolError(
        'validation',
        'Wrong format of request: min_events_count excludes limit and filters',
      );
    }
    const given =
      payload.min_events_count === undefined
        ? payload.filters
        : { ...payload.filters, min_events_count: payload.min_events_count };
    const page = resolvePage<ThreadFilters, number>(payload, given, { limit: 3, filters: {} });
    const minEvents = page.filters.min_events_count;
    const { rows, total } = await readModel.listThreads({
      organizationId: chat.organizationId,
      chatId: chat.id,
      from: timestampFilter(page.filters.from),
      to: timestampFilter(page.filters.to),
      sortOrder: page.sortOrder,
      direction: page.direction,
      cursor: page.cursor,
      take: minEvents === undefined ? page.limit + 1 : 101,
    });
    const limit = minEvents === undefined ? page.limit : threadsForEvents(rows, minEvents);
    const { items, ...pages } = pageOf(rows, { ...page, limit }, (thread) => thread.order);
    const events = await eventsOf(actor, chat, items);
    const threads = items.map((thread) =>
      threadWithEvents(
        chat,
        thread,
        events.filter((row) => row.threadId === thread.id).map((row) => row.event),
        readerOf(actor),
      ),
    );
    const users = chatView(chat, undefined, [], readerOf(actor)).users;
    const queued = await withQueues(
      chat.organizationId,
      threads.map((thread) => ({ chatId: chat.id, users, thread })),
    );
    return { threads: queued.map(({ thread }) => thread), found_threads: total, ...pages };
  }

  async function visibleChat(actor: Actor, chatId: string): Promise<ChatRow> {
    const chat = await readModel.findChat(actor.organizationId, chatId);
    if (!chat || !canSeeChat(actor, chat)) throw new ProtocolError('not_found', 'Chat not found');
    return chat;
  }

  function eventsOf(
    actor: Actor,
    chat: ChatRow,
    threads: readonly ThreadRow[],
  ): Promise<EventRow[]> {
    if (threads.length === 0) return Promise.resolve([]);
    const ids = threads.map((thread) => thread.id);
    return readModel.listEvents(chat.organizationId, chat.id, ids, actor.type === 'customer');
  }

  return { query };
}

/** As many threads as it takes to reach `minEvents` events (at least one, at most 100). */
function threadsForEvents(rows: readonly ThreadRow[], minEvents: number): number {
  let events = 0;
  for (const [index, thread] of rows.slice(0, 100).entries()) {
    events += thread.eventsCount;
    if (events >= minEvents) return index + 1;
  }
  return Math.max(1, Math.min(rows.length, 100));
}

function timestampFilter(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new ProtocolError('validation', 'Wrong format of request: filters: invalid date');
  }
  return formatTimestamp(date);
}

function scopeOf(actor: Actor): ChatScope {
  switch (actor.type) {
    case 'customer':
      return { type: 'customer', customerId: actor.id };
    case 'agent':
      return actor.allChats
        ? { type: 'organization' }
        : { type: 'agent', agentId: actor.id, groupIds: actor.groupIds };
    case 'system':
      return { type: 'organization' };
  }
}
