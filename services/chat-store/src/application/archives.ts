import { type MethodPayload, ProtocolError, pageOf, resolvePage } from '@threadline/protocol';
import type { Actor } from '../domain/chat.types.ts';
import { highlightEvents } from '../domain/highlight.ts';
import {
  accessibleNeighbours,
  isRestrictedFor,
  readerOf,
  threadWithEvents,
} from '../domain/projections/chat.views.ts';
import { toProtocolTimestamp } from '../domain/timestamps.ts';
import type { ArchiveCursor, ArchiveFilters, ChatReadModel, ChatScope } from './read-model.ts';

type ListArchives = MethodPayload<'list_archives'>;

/**
 * `list_archives` (spec §2, filters §5.6): one item per matching thread, each a full chat with
 * that thread and its events. `thread_ids` stands alone (no other filter, no paging). With
 * `highlights`, each thread lists the events matching `filters.query` with the words marked
 * (`thread.highlight`, Threadline's shape: LiveChat documents the option, not the field).
 */
export async function listArchives(
  readModel: ChatReadModel,
  actor: Actor,
  scope: ChatScope,
  payload: ListArchives,
) {
  if (actor.type === 'customer') {
    throw new ProtocolError('authorization', 'list_archives is not allowed for customers');
  }
  const given = payload.filters && normalizedFilters(payload.filters);
  const threadIds = given?.thread_ids;
  if (threadIds && (Object.keys(given).length > 1 || payload.page_id)) {
    throw new ProtocolError(
      'validation',
      'Wrong format of request: filters.thread_ids cannot be used with other filters or pagination',
    );
  }
  const page = resolvePage<ArchiveFilters, ArchiveCursor>(payload, given, {
    limit: 10,
    filters: {},
  });
  const limit = threadIds ? threadIds.length : page.limit;
  const { rows, total } = await readModel.listArchives({
    organizationId: actor.organizationId,
    scope,
    filters: page.filters,
    sortOrder: page.sortOrder,
    direction: page.direction,
    cursor: page.cursor,
    take: limit + 1,
  });
  const { items, ...pages } = pageOf(rows, { ...page, limit }, ({ chat, thread }) => ({
    at: thread.createdAt,
    chat: chat.id,
    thread: thread.id,
  }));
  const reader = readerOf(actor);
  const readable = items.filter(({ chat, thread }) => !isRestrictedFor(chat, thread, reader));
  const [events, threadAccess] = await Promise.all([
    readModel.listEventsOfThreads(
      actor.organizationId,
      readable.map(({ thread }) => ({ chatId: thread.chatId, id: thread.id })),
    ),
    readModel.listThreadAccess(actor.organizationId, [
      ...new Set(items.map(({ chat }) => chat.id)),
    ]),
  ]);
  const tags = payload.highlights && {
    pre: payload.highlights.pre_tag ?? '<em>',
    post: payload.highlights.post_tag ?? '</em>',
  };
  const chats = items.map(({ chat, thread }) => {
    const threadEvents = events
      .filter((row) => row.chatId === chat.id && row.threadId === thread.id)
      .map((row) => row.event);
    const query = page.filters.query;
    const view = threadWithEvents(chat, thread, threadEvents, reader);
    const highlight =
      tags && query && !('restricted_access' in view)
        ? highlightEvents(threadEvents, query, tags)
        : undefined;
    const chatThreads = threadAccess.filter((row) => row.chatId === chat.id);
    return {
      id: chat.id,
      users: chat.users,
      thread: {
        ...view,
        ...accessibleNeighbours(chat, chatThreads, thread, reader),
        ...(highlight ? { highlight } : {}),
      },
      properties: chat.properties,
      access: chat.access,
      is_followed: chat.followerIds.includes(actor.id),
    };
  });
  return { chats, found_chats: total, ...pages };
}

/** `from`/`to` in the protocol's own form, so they compare with stored times as text. */
function normalizedFilters(filters: ArchiveFilters): ArchiveFilters {
  const time = (value: string | undefined, name: string) => {
    if (value === undefined) return {};
    const normalized = toProtocolTimestamp(value);
    if (!normalized) {
      throw new ProtocolError(
        'validation',
        `Wrong format of request: filters.${name}: invalid date`,
      );
    }
    return { [name]: normalized };
  };
  return { ...filters, ...time(filters.from, 'from'), ...time(filters.to, 'to') };
}
