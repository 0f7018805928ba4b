import { describe, expect, it } from 'vitest';
import { errorEnvelope, httpStatusByErrorType } from './errors.ts';
import { eventId, formatTimestamp, newChatId, newThreadId } from './format.ts';
import { findApiVersion, stageHeaders } from './versions.ts';

describe('formats', () => {
  it('writes timestamps as RFC 3339 with microseconds in UTC', () => {
    expect(formatTimestamp(new Date('2019-12-17T07:57:41.512Z'))).toBe(
      '2019-12-17T07:57:41.512000Z',
    );
  });

  it('makes chat and thread ids of 10 uppercase alphanumerics, unique in practice', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newChatId()));
    expect(ids.size).toBe(1000);
    for (const id of [...ids].slice(0, 20)) expect(id).toMatch(/^[A-Z0-9]{10}$/);
    expect(newThreadId()).toMatch(/^[A-Z0-9]{10}$/);
  });

  it('numbers events within their thread', () => {
    expect(eventId('Q20N9CKRX2', 1)).toBe('Q20N9CKRX2_1');
  });
});

describe('errors', () => {
  it('omits data from the envelope when there is none', () => {
    expect(errorEnvelope('validation', 'Wrong format of request')).toEqual({
      error: { type: 'validation', message: 'Wrong format of request' },
    });
  });

  it('maps authentication to 401 and rate limiting to 429', () => {
    expect(httpStatusByErrorType.authentication).toBe(401);
    expect(httpStatusByErrorType.too_many_requests).toBe(429);
  });
});

describe('versions', () => {
  it('announces legacy and deprecated stages with their configured dates only', () => {
    const dates = { '3.4': '2026-12-31', '3.5': '2027-06-30' };
    expect(stageHeaders(findApiVersion('3.4')!, dates)).toEqual({ Deprecation: '2026-12-31' });
    expect(stageHeaders(findApiVersion('3.5')!, dates)).toEqual({ Legacy: '2027-06-30' });
    expect(stageHeaders(findApiVersion('3.6')!, dates)).toEqual({});
    expect(findApiVersion('3.3')).toBeUndefined();
  });
});
