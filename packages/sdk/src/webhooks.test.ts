import { signWebhook } from '@threadline/protocol';
import { describe, expect, it } from 'vitest';
import { verifyWebhook } from './webhooks.ts';

const secretKey = 'integration-secret-key';
const nowMs = 1_767_225_600_000;
const body = JSON.stringify({
  webhook_id: 'w1',
  secret_key: secretKey,
  action: 'incoming_event',
  organization_id: 'org',
  payload: { chat_id: 'C1', event: { id: 'E1' } },
  additional_data: {},
});

function headers(rawBody: string, key = secretKey, timestamp = nowMs / 1000) {
  return {
    'x-threadline-webhook-id': 'delivery-1',
    'x-threadline-timestamp': String(timestamp),
    'x-threadline-signature': signWebhook(rawBody, key, timestamp),
  };
}

describe('verifyWebhook', () => {
  it('accepts a signed, recent webhook carrying the secret, with its delivery id', () => {
    const check = verifyWebhook({ rawBody: body, headers: headers(body), secretKey, nowMs });
    expect(check).toMatchObject({
      valid: true,
      webhook: { deliveryId: 'delivery-1', envelope: { action: 'incoming_event' } },
    });
  });

  it('refuses an altered body, another key, and a replay after the tolerance', () => {
    const altered = body.replace('E1', 'E2');
    expect(verifyWebhook({ rawBody: altered, headers: headers(body), secretKey, nowMs })).toEqual({
      valid: false,
      reason: 'signature mismatch',
    });
    const otherKey = headers(body, 'another-key');
    expect(verifyWebhook({ rawBody: body, headers: otherKey, secretKey, nowMs }).valid).toBe(false);
    const late = nowMs + 6 * 60 * 1000;
    expect(
      verifyWebhook({ rawBody: body, headers: headers(body), secretKey, nowMs: late }),
    ).toEqual({
      valid: false,
      reason: 'timestamp outside the tolerance',
    });
  });

  it("refuses a correctly signed body whose secret_key is not the receiver's", () => {
    const foreign = body.replace(secretKey, 'someone-else');
    const check = verifyWebhook({ rawBody: foreign, headers: headers(foreign), secretKey, nowMs });
    expect(check).toEqual({ valid: false, reason: 'wrong secret_key' });
  });
});
