import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, RequestListener } from 'node:http';
import { verifySignature } from '@threadline/protocol';
import type { WebClient } from './web.ts';

/** LiveChat's webhook body, as Threadline sends it. */
export interface WebhookEnvelope {
  webhook_id: string;
  secret_key: string;
  action: string;
  organization_id: string;
  payload: Record<string, unknown>;
  additional_data: { chat_properties?: Record<string, unknown>; chat_presence_user_ids?: string[] };
}

export interface ReceivedWebhook {
  /** `X-Threadline-Webhook-Id`: the same on every attempt of one delivery. */
  deliveryId: string;
  envelope: WebhookEnvelope;
}

export type WebhookCheck =
  | { valid: true; webhook: ReceivedWebhook }
  | { valid: false; reason: string };

/**
 * Checks a received webhook the way a receiver should: Threadline's signature over the exact raw
 * body (with a recent timestamp, so a captured request cannot be replayed later), then LiveChat's
 * own check, the `secret_key` in the body.
 */
export function verifyWebhook(request: {
  rawBody: string;
  headers: IncomingHttpHeaders;
  secretKey: string;
  nowMs?: number;
}): WebhookCheck {
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const signature = verifySignature({
    body: request.rawBody,
    secretKey: request.secretKey,
    timestamp: header('x-threadline-timestamp'),
    signature: header('x-threadline-signature'),
    nowSeconds: Math.floor((request.nowMs ?? Date.now()) / 1000),
  });
  if (!signature.valid) return signature;
  const envelope = JSON.parse(request.rawBody) as WebhookEnvelope;
  if (envelope.secret_key !== request.secretKey)
    return { valid: false, reason: 'wrong secret_key' };
  return {
    valid: true,
    webhook: { deliveryId: header('x-threadline-webhook-id') ?? '', envelope },
  };
}

const maxBodyBytes = 1024 * 1024;

/**
 * A Node HTTP request listener for webhooks: `401` for a request that fails `verifyWebhook`, `200`
 * once `onWebhook` has finished, `500` when it throws, so Threadline sends the webhook again later
 * (deliveries are at least once: `onWebhook` must tolerate seeing one twice).
 */
export function webhookListener(options: {
  secretKey: string;
  onWebhook(webhook: ReceivedWebhook): Promise<void>;
  onError?(error: unknown): void;
}): RequestListener {
  return (request, response) => {
    readBody(request)
      .then(async (rawBody) => {
        const check = verifyWebhook({
          rawBody,
          headers: request.headers,
          secretKey: options.secretKey,
        });
        if (!check.valid) {
          response.writeHead(401).end(check.reason);
          return;
        }
        await options.onWebhook(check.webhook);
        response.writeHead(200).end();
      })
      .catch((error: unknown) => {
        options.onError?.(error);
        if (!response.headersSent) response.writeHead(500).end();
      });
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) request.destroy(new Error('webhook body too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** One webhook an integration wants (`register_webhook` without url, secret and owner). */
export interface WantedWebhook {
  action: string;
  type: 'license' | 'bot';
  filters?: Record<string, unknown>;
}

/**
 * Makes the registrations at `url` exactly `wanted`, so an integration can run this on every
 * start: matching registrations are kept (webhooks waiting for a restarting receiver are not
 * lost), others at `url` are unregistered, missing ones registered. `list_webhooks` never shows a
 * secret, so the description carries a fingerprint of it: a changed secret re-registers.
 */
export async function ensureWebhooks(
  client: WebClient,
  options: {
    ownerClientId: string;
    url: string;
    secretKey: string;
    description: string;
    wanted: readonly WantedWebhook[];
  },
): Promise<string[]> {
  const fingerprint = createHash('sha256').update(options.secretKey).digest('hex').slice(0, 12);
  const description = `${options.description} (key ${fingerprint})`;
  const key = (webhook: WantedWebhook & { description?: unknown }) =>
    canonicalJson([webhook.action, webhook.type, webhook.filters ?? {}, webhook.description]);
  const listed = (await client.call('list_webhooks', {
    owner_client_id: options.ownerClientId,
  })) as unknown as (WantedWebhook & { id: string; url: string; description?: string })[];
  const ours = listed.filter((webhook) => webhook.url === options.url);
  const wantedKeys = new Set(options.wanted.map((webhook) => key({ ...webhook, description })));
  const kept = ours.filter((webhook) => wantedKeys.has(key(webhook)));
  for (const stale of ours.filter((webhook) => !kept.includes(webhook))) {
    await client.call('unregister_webhook', {
      id: stale.id,
      owner_client_id: options.ownerClientId,
    });
  }
  const ids = kept.map((webhook) => webhook.id);
  const keptKeys = new Set(kept.map(key));
  for (const webhook of options.wanted) {
    if (keptKeys.has(key({ ...webhook, description }))) continue;
    const registered = await client.call('register_webhook', {
      ...webhook,
      url: options.url,
      secret_key: options.secretKey,
      owner_client_id: options.ownerClientId,
      description,
    });
    ids.push(String(registered.id));
  }
  return ids;
}

/** JSON with object keys sorted: filters listed back by the server compare equal in any order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
