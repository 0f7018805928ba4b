import {
  type MethodPayload,
  type PageRequest,
  ProtocolError,
  resolvePage,
} from '@threadline/protocol';

/** The most of a receiver's answer the delivery log keeps (the issue: a small bounded prefix). */
export const responseBodyPrefixBytes = 1024;

/** `list_webhook_deliveries`' page size when none is asked for; the schema caps it at 100. */
export const deliveriesPerPage = 25;

/**
 * Deliveries one `replay_webhooks` call sends again, oldest first; the answer's `next_from` says
 * where to go on. Bounds the one UPDATE and the burst of POSTs a single call can cause.
 */
export const replayLimit = 10_000;

/** Cuts a response body prefix to 1 KiB, whatever the sender handed over. */
export function boundResponseBodyPrefix(text: string | undefined): string | null {
  if (text === undefined) return null;
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= responseBodyPrefixBytes) return text;
  // A multi-byte character cut in half decodes as U+FFFD, which is still valid text.
  return bytes.subarray(0, responseBodyPrefixBytes).toString('utf8');
}

/** `[from, to)` as RFC 3339 strings; Postgres reads them with their microseconds. */
export interface TimeRange {
  from?: string | undefined;
  to?: string | undefined;
}

/** Refuses a range that ends before it starts (the schema has already checked the format). */
export function checkTimeRange<Range extends TimeRange>(range: Range): Range {
  if (range.from && range.to && Date.parse(range.to) <= Date.parse(range.from)) {
    throw new ProtocolError('validation', 'Wrong format of request: to must be after from');
  }
  return range;
}

/** What a page id of `list_webhook_deliveries` carries besides the cursor. */
export interface DeliveryFilters extends TimeRange {
  webhookId: string;
  status?: 'pending' | 'delivered' | 'dead' | undefined;
  includePayload?: boolean | undefined;
}

/** Newest first: a page goes on below (created_at, id) of the last delivery shown. */
export type DeliveryCursor = [createdAt: string, id: string];

/**
 * The page a `list_webhook_deliveries` call asks for. A page id stands for the first call's
 * filters, so it cannot be mixed with them, and it belongs to the webhook it was made for.
 */
export function resolveDeliveriesPage(
  request: MethodPayload<'list_webhook_deliveries'>,
  now: Date = new Date(),
): PageRequest<DeliveryFilters, DeliveryCursor> {
  const { webhook_id, status, from, to, include_payload } = request;
  const given = [status, from, to, include_payload].some((value) => value !== undefined);
  const page = resolvePage<DeliveryFilters, DeliveryCursor>(
    { page_id: request.page_id, limit: request.limit },
    given
      ? checkTimeRange({ webhookId: webhook_id, status, from, to, includePayload: include_payload })
      : undefined,
    { limit: deliveriesPerPage, filters: { webhookId: webhook_id } },
    now,
  );
  if (page.filters.webhookId !== webhook_id) {
    throw new ProtocolError(
      'validation',
      'Wrong format of request: page_id is for another webhook',
    );
  }
  if (page.cursor !== undefined && !isCursor(page.cursor)) {
    throw new ProtocolError('validation', 'Wrong format of request: invalid page_id');
  }
  return page;
}

function isCursor(value: unknown): value is DeliveryCursor {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === 'string' &&
    !Number.isNaN(Date.parse(value[0])) &&
    typeof value[1] === 'string'
  );
}

/** One POST in the log; times are RFC 3339 with microseconds, as LiveChat writes them. */
export interface LoggedAttempt {
  attempt: number;
  startedAt: string;
  durationMs: number;
  outcome: 'delivered' | 'retry' | 'dead';
  statusCode: number | null;
  error: string | null;
  responseBodyPrefix: string | null;
}

export interface LoggedDelivery {
  id: string;
  action: string;
  status: 'pending' | 'delivered' | 'dead';
  createdAt: string;
  deliveredAt: string | null;
  /** Attempts since the delivery was last (re)sent: the retry budget used. */
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  /** The envelope POSTed (with the secret_key): only its `payload` is ever shown. */
  body: string;
  attemptsLog: LoggedAttempt[];
}

/** `list_webhook_deliveries`' item: absent rather than null, and the payload only on request. */
export function describeDelivery(
  delivery: LoggedDelivery,
  includePayload = false,
): Record<string, unknown> {
  return {
    id: delivery.id,
    action: delivery.action,
    status: delivery.status,
    created_at: delivery.createdAt,
    ...(delivery.deliveredAt ? { delivered_at: delivery.deliveredAt } : {}),
    attempts: delivery.attempts,
    ...(delivery.status === 'pending' ? { next_attempt_at: delivery.nextAttemptAt } : {}),
    ...(delivery.lastError ? { last_error: delivery.lastError } : {}),
    ...(includePayload ? { payload: payloadOf(delivery.body) } : {}),
    attempts_log: delivery.attemptsLog.map((attempt) => ({
      attempt: attempt.attempt,
      started_at: attempt.startedAt,
      duration_ms: attempt.durationMs,
      outcome: attempt.outcome,
      ...(attempt.statusCode === null ? {} : { status_code: attempt.statusCode }),
      ...(attempt.error === null ? {} : { error: attempt.error }),
      ...(attempt.responseBodyPrefix === null
        ? {}
        : { response_body_prefix: attempt.responseBodyPrefix }),
    })),
  };
}

/** The envelope's `payload`; never the whole body, which carries the registration's secret. */
function payloadOf(body: string): unknown {
  try {
    return (JSON.parse(body) as { payload?: unknown }).payload ?? null;
  } catch {
    return null;
  }
}
