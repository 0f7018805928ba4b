import { signWebhook } from '@threadline/protocol';
import { describe, expect, it } from 'vitest';
import type { WebClient } from './web.ts';
import { ensureWebhooks, verifyWebhook } from './webhooks.ts';

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

describe('ensureWebhooks', () => {
  /** The Configuration API's webhook methods, in memory: list, register, unregister. */
  function webhookRegistry() {
    const registered = new Map<string, Record<string, unknown>>();
    let next = 0;
    const call = async (method: string, payload: Record<string, unknown>) => {
      if (method === 'list_webhooks') {
        return [...registered.values()].map(({ secret_key: _secret, ...listed }) => listed);
      }
      if (method === 'register_webhook') {
        const id = `w${++next}`;
        registered.set(id, { ...payload, id });
        return { id };
      }
      if (method === 'unregister_webhook') registered.delete(String(payload.id));
      return {};
    };
    return { registered, client: { call, version: '3.6' } as unknown as WebClient };
  }

  const options = {
    ownerClientId: 'app',
    url: 'https://hooks.example/webhooks',
    secretKey: 'first-secret-key',
    description: 'example',
    wanted: [
      {
        action: 'incoming_event',
        type: 'bot' as const,
        filters: { author_type: 'customer', chat_presence: { user_ids: { values: ['bot'] } } },
      },
    ],
  };

  it('keeps a registration that is already right, whatever order its filters come back in', async () => {
    const { registered, client } = webhookRegistry();
    const [first] = await ensureWebhooks(client, options);
    const stored = registered.get(first!)!;
    const filters = stored.filters as Record<string, unknown>;
    registered.set(first!, {
      ...stored,
      filters: { chat_presence: filters.chat_presence, author_type: filters.author_type },
    });
    expect(await ensureWebhooks(client, options)).toEqual([first]);
    expect(registered.size).toBe(1);
  });

  it('registers again when the secret changed, and leaves other URLs alone', async () => {
    const { registered, client } = webhookRegistry();
    await ensureWebhooks(client, { ...options, url: 'https://other.example/' });
    const [old] = await ensureWebhooks(client, options);
    const [renewed] = await ensureWebhooks(client, { ...options, secretKey: 'second-secret-key' });
    expect(renewed).not.toBe(old);
    expect([...registered.values()].map((webhook) => [webhook.url, webhook.secret_key])).toEqual([
      ['https://other.example/', 'first-secret-key'],
      ['https://hooks.example/webhooks', 'second-secret-key'],
    ]);
  });
});
