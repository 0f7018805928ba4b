import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifySignature } from './webhook-signature.ts';

const body = '{"webhook_id":"w1","action":"incoming_event"}';
const secretKey = 'laudla991lamda0pnoaa0';
const timestamp = 1_767_225_600;

describe('signWebhook', () => {
  it('is v1= and the hex HMAC-SHA256 of "<timestamp>.<body>" keyed with the secret', () => {
    const expected = createHmac('sha256', secretKey).update(`${timestamp}.${body}`).digest('hex');
    expect(signWebhook(body, secretKey, timestamp)).toBe(`v1=${expected}`);
  });

  it('changes with the timestamp, so an old signature does not cover a new time', () => {
    expect(signWebhook(body, secretKey, timestamp)).not.toBe(
      signWebhook(body, secretKey, timestamp + 1),
    );
  });
});

describe('verifySignature', () => {
  const signed = {
    body,
    secretKey,
    timestamp: String(timestamp),
    signature: signWebhook(body, secretKey, timestamp),
    nowSeconds: timestamp + 30,
  };

  it('accepts a signature over the exact body within the tolerance', () => {
    expect(verifySignature(signed)).toEqual({ valid: true });
    expect(verifySignature({ ...signed, nowSeconds: timestamp - 300 })).toEqual({ valid: true });
  });

  it.each([
    ['an altered body', { body: `${body} ` }, 'signature mismatch'],
    ['another secret', { secretKey: 'other' }, 'signature mismatch'],
    ['a timestamp it was not signed with', { timestamp: String(timestamp + 1) }, 'mismatch'],
    ['a stale timestamp', { nowSeconds: timestamp + 301 }, 'tolerance'],
    ['a timestamp from the future', { nowSeconds: timestamp - 301 }, 'tolerance'],
    ['no timestamp', { timestamp: undefined }, 'bad timestamp'],
    ['a timestamp that is not a number', { timestamp: '1e9' }, 'bad timestamp'],
    ['no signature', { signature: undefined }, 'no v1 signature'],
    ['the old body-only scheme', { signature: 'sha256=00' }, 'no v1 signature'],
    ['a truncated signature', { signature: signed.signature.slice(0, -2) }, 'mismatch'],
  ])('refuses %s', (_, change, reason) => {
    const result = verifySignature({ ...signed, ...change });
    expect(result.valid).toBe(false);
    expect(result).toHaveProperty('reason', expect.stringContaining(reason));
  });

  it('takes another tolerance', () => {
    expect(verifySignature({ ...signed, toleranceSeconds: 10 }).valid).toBe(false);
  });
});
