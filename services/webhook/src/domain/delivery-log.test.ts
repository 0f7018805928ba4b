import { encodePageId, ProtocolError } from '@threadline/protocol';
import { describe, expect, it } from 'vitest';
import {
  boundResponseBodyPrefix,
  checkTimeRange,
  deliveriesPerPage,
  describeDelivery,
  type LoggedDelivery,
  resolveDeliveriesPage,
} from './delivery-log.ts';

const webhookId = 'a'.repeat(32);
const now = new Date('2026-12-07T12:00:00Z');

function errorOf(run: () => unknown): ProtocolError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return error as ProtocolError;
  }
  throw new Error('expected a protocol error');
}

function aPageId(
  filters: Record<string, unknown>,
  cursor: unknown = ['2026-12-07T10:00:00.000001Z', 'b'],
) {
  return encodePageId({ f: filters, l: 10, o: 'desc', c: cursor, d: 'forward' }, now);
}

describe('boundResponseBodyPrefix', () => {
  it('keeps a short answer and nothing when there was none', () => {
    expect(boundResponseBodyPrefix('ok')).toBe('ok');
    expect(boundResponseBodyPrefix(undefined)).toBeNull();
  });

  it('cuts an answer to 1 KiB of UTF-8, even one of multi-byte characters', () => {
    expect(boundResponseBodyPrefix('x'.repeat(5000))).toHaveLength(1024);
    const cut = boundResponseBodyPrefix('é'.repeat(1000)) ?? '';
    expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(1024 + 2);
    expect(cut.startsWith('é'.repeat(511))).toBe(true);
  });
});

describe('checkTimeRange', () => {
  it('takes an open range and one that ends after it starts', () => {
    expect(checkTimeRange({ from: '2026-12-07T10:00:00Z' })).toEqual({
      from: '2026-12-07T10:00:00Z',
    });
    const range = { from: '2026-12-07T10:00:00Z', to: '2026-12-07T11:00:01+01:00' };
    expect(checkTimeRange(range)).toBe(range);
  });

  it('refuses a range that ends before or when it starts, comparing offsets', () => {
    expect(
      errorOf(() => checkTimeRange({ from: '2026-12-07T10:00:00Z', to: '2026-12-07T10:00:00Z' }))
        .type,
    ).toBe('validation');
    // 10:30 at +01:00 is 09:30Z, before 10:00Z.
    expect(
      errorOf(() =>
        checkTimeRange({ from: '2026-12-07T10:00:00Z', to: '2026-12-07T10:30:00+01:00' }),
      ).message,
    ).toMatch(/to must be after from/);
  });
});

describe('resolveDeliveriesPage', () => {
  it('starts newest first with 25 deliveries and the filters given', () => {
    const page = resolveDeliveriesPage(
      { webhook_id: webhookId, status: 'dead', from: '2026-12-07T10:00:00Z' },
      now,
    );
    expect(page).toEqual({
      filters: {
        webhookId,
        status: 'dead',
        from: '2026-12-07T10:00:00Z',
        to: undefined,
        includePayload: undefined,
      },
      limit: deliveriesPerPage,
      sortOrder: 'desc',
      direction: 'forward',
    });
  });

  it('goes on from a page id alone, with its filters and cursor', () => {
    const pageId = aPageId({ webhookId, status: 'delivered' });
    const page = resolveDeliveriesPage({ webhook_id: webhookId, page_id: pageId }, now);
    expect(page).toMatchObject({
      filters: { webhookId, status: 'delivered' },
      limit: 10,
      cursor: ['2026-12-07T10:00:00.000001Z', 'b'],
    });
  });

  it('refuses a page id mixed with filters, made for another webhook, or forged', () => {
    const pageId = aPageId({ webhookId });
    expect(
      errorOf(() =>
        resolveDeliveriesPage({ webhook_id: webhookId, page_id: pageId, status: 'dead' }, now),
      ).message,
    ).toMatch(/cannot be combined/);
    expect(
      errorOf(() => resolveDeliveriesPage({ webhook_id: 'b'.repeat(32), page_id: pageId }, now))
        .message,
    ).toMatch(/another webhook/);
    const forged = aPageId({ webhookId }, ['not a time', 7]);
    expect(
      errorOf(() => resolveDeliveriesPage({ webhook_id: webhookId, page_id: forged }, now)).type,
    ).toBe('validation');
    expect(
      errorOf(() => resolveDeliveriesPage({ webhook_id: webhookId, page_id: 'garbage' }, now)).type,
    ).toBe('validation');
  });

  it('refuses a range that ends before it starts on a first call', () => {
    const request = {
      webhook_id: webhookId,
      from: '2026-12-07T10:00:00Z',
      to: '2026-12-06T00:00:00Z',
    };
    expect(errorOf(() => resolveDeliveriesPage(request, now)).type).toBe('validation');
  });
});

describe('describeDelivery', () => {
  const delivery: LoggedDelivery = {
    id: 'd'.repeat(32),
    action: 'incoming_event',
    status: 'delivered',
    createdAt: '2026-12-07T10:00:00.000001Z',
    deliveredAt: '2026-12-07T10:00:01.000001Z',
    attempts: 2,
    nextAttemptAt: '2026-12-07T10:00:00.500000Z',
    lastError: null,
    body: JSON.stringify({
      secret_key: 'hush',
      action: 'incoming_event',
      payload: { chat_id: 'C' },
    }),
    attemptsLog: [
      {
        attempt: 1,
        startedAt: '2026-12-07T10:00:00.100000Z',
        durationMs: 12,
        outcome: 'retry',
        statusCode: 503,
        error: 'HTTP 503',
        responseBodyPrefix: 'busy',
      },
      {
        attempt: 2,
        startedAt: '2026-12-07T10:00:01.000000Z',
        durationMs: 3,
        outcome: 'delivered',
        statusCode: 200,
        error: null,
        responseBodyPrefix: null,
      },
    ],
  };

  it('shows the attempts and leaves out what does not apply', () => {
    expect(describeDelivery(delivery)).toEqual({
      id: delivery.id,
      action: 'incoming_event',
      status: 'delivered',
      created_at: '2026-12-07T10:00:00.000001Z',
      delivered_at: '2026-12-07T10:00:01.000001Z',
      attempts: 2,
      attempts_log: [
        {
          attempt: 1,
          started_at: '2026-12-07T10:00:00.100000Z',
          duration_ms: 12,
          outcome: 'retry',
          status_code: 503,
          error: 'HTTP 503',
          response_body_prefix: 'busy',
        },
        {
          attempt: 2,
          started_at: '2026-12-07T10:00:01.000000Z',
          duration_ms: 3,
          outcome: 'delivered',
          status_code: 200,
        },
      ],
    });
  });

  it('shows when a pending delivery is due, and the payload without the secret on request', () => {
    const view = describeDelivery({ ...delivery, status: 'pending', deliveredAt: null }, true);
    expect(view).toMatchObject({
      next_attempt_at: '2026-12-07T10:00:00.500000Z',
      payload: { chat_id: 'C' },
    });
    expect(JSON.stringify(view)).not.toContain('hush');
  });
});
