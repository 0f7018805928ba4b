import { ProtocolError } from './errors.ts';

export type SortOrder = 'asc' | 'desc';
/** `forward` reads on in the sort order from the cursor; `backward` reads the page before it. */
export type Direction = 'forward' | 'backward';

/**
 * What a page id carries: the first call's filters, limit and order, and where to go on. Page ids
 * are opaque to clients (base64url JSON): later calls send only the page id (spec §5.5). Shared by
 * every list method with page ids (chat-store's lists, the gateway's `list_customers`).
 */
export interface PageRequest<Filters, Cursor> {
  filters: Filters;
  limit: number;
  sortOrder: SortOrder;
  cursor?: Cursor;
  direction: Direction;
}

interface PageToken<Filters, Cursor> {
  f: Filters;
  l: number;
  o: SortOrder;
  c: Cursor;
  d: Direction;
  /** When the page id stops being accepted (ms since the epoch). */
  e: number;
}

/** A page id lives one month, as LiveChat's (spec §7). */
export const pageIdLifetimeMs = 30 * 24 * 60 * 60 * 1000;

/** Reading backward (the page before a cursor) walks the sort order in reverse. */
export function readingOrder(sortOrder: SortOrder, direction: Direction): SortOrder {
  if (direction === 'forward') return sortOrder;
  return sortOrder === 'desc' ? 'asc' : 'desc';
}

export function encodePageId<Filters, Cursor>(
  request: Omit<PageToken<Filters, Cursor>, 'e'>,
  now: Date = new Date(),
): string {
  const token: PageToken<Filters, Cursor> = { ...request, e: now.getTime() + pageIdLifetimeMs };
  return Buffer.from(JSON.stringify(token), 'utf8').toString('base64url');
}

/**
 * The page a list call asks for: from its page id alone, or from its filters on a first call.
 * A page id mixed with filters, limit or sort order is refused, as LiveChat does.
 */
export function resolvePage<Filters, Cursor>(
  payload: {
    page_id?: string | undefined;
    limit?: number | undefined;
    sort_order?: SortOrder | undefined;
  },
  filters: Filters | undefined,
  defaults: { limit: number; filters: Filters },
  now: Date = new Date(),
): PageRequest<Filters, Cursor> {
  if (!payload.page_id) {
    return {
      filters: filters ?? defaults.filters,
      limit: payload.limit ?? defaults.limit,
      sortOrder: payload.sort_order ?? 'desc',
      direction: 'forward',
    };
  }
  if (filters !== undefined || payload.limit !== undefined || payload.sort_order !== undefined) {
    throw new ProtocolError(
      'validation',
      'Wrong format of request: page_id cannot be combined with other parameters',
    );
  }
  const token = decodePageId<Filters, Cursor>(payload.page_id, now);
  return {
    filters: token.f,
    limit: token.l,
    sortOrder: token.o,
    cursor: token.c,
    direction: token.d,
  };
}

function decodePageId<Filters, Cursor>(pageId: string, now: Date): PageToken<Filters, Cursor> {
  const token = readToken<Filters, Cursor>(pageId);
  if (!token) throw new ProtocolError('validation', 'Wrong format of request: invalid page_id');
  if (token.e < now.getTime()) {
    throw new ProtocolError('validation', 'Wrong format of request: page_id has expired');
  }
  return token;
}

function readToken<Filters, Cursor>(pageId: string): PageToken<Filters, Cursor> | undefined {
  try {
    const token = JSON.parse(Buffer.from(pageId, 'base64url').toString('utf8')) as PageToken<
      Filters,
      Cursor
    >;
    const valid =
      Number.isInteger(token.l) &&
      (token.o === 'asc' || token.o === 'desc') &&
      (token.d === 'forward' || token.d === 'backward') &&
      token.c !== undefined &&
      typeof token.e === 'number';
    return valid ? token : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Cuts a fetched window (`limit + 1` rows, in the reading direction) into a page in sort order,
 * with page ids for the neighbours that exist. Coming forward from a cursor means a page before
 * exists; coming backward means a page after exists.
 */
export function pageOf<Row, Filters, Cursor>(
  rows: Row[],
  request: PageRequest<Filters, Cursor>,
  cursorOf: (row: Row) => Cursor,
  now: Date = new Date(),
): { items: Row[]; next_page_id?: string; previous_page_id?: string } {
  const more = rows.length > request.limit;
  const window = rows.slice(0, request.limit);
  const items = request.direction === 'backward' ? window.reverse() : window;
  const first = items[0];
  const last = items.at(-1);
  const hasNext = request.direction === 'forward' ? more : true;
  const hasPrevious = request.direction === 'backward' ? more : request.cursor !== undefined;
  const token = (row: Row, direction: Direction) =>
    encodePageId(
      {
        f: request.filters,
        l: request.limit,
        o: request.sortOrder,
        c: cursorOf(row),
        d: direction,
      },
      now,
    );
  return {
    items,
    ...(hasNext && last ? { next_page_id: token(last, 'forward') } : {}),
    ...(hasPrevious && first ? { previous_page_id: token(first, 'backward') } : {}),
  };
}
