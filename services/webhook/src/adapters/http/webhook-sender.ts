import { createHmac } from 'node:crypto';
import type { SendWebhook } from '../../application/ports.ts';

/**
 * `sha256=<hex HMAC-SHA256 of the raw body keyed with the registration's secret_key>`. LiveChat
 * only puts the secret in the body; the signature lets a receiver check the body was not altered
 * without trusting a secret that travels with it.
 */
export function signBody(body: string, secretKey: string): string {
  return `sha256=${createHmac('sha256', secretKey).update(body).digest('hex')}`;
}

/**
 * POSTs one webhook. Only a 2xx answer counts as delivered; redirects are not followed (a
 * registered URL that moved is the owner's to fix, and following them would let a receiver point
 * us anywhere). Never throws: network errors and timeouts are failed outcomes.
 */
export const sendWebhook: SendWebhook = async (request) => {
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(request.timeoutMs),
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Threadline-Webhooks/1',
        'X-Threadline-Webhook-Id': request.deliveryId,
        'X-Threadline-Signature': signBody(request.body, request.secretKey),
      },
    });
    // The body is not used; consuming it returns the connection to the pool.
    await response.body?.cancel().catch(() => {});
    if (response.status >= 200 && response.status < 300) {
      return { type: 'delivered', status: response.status };
    }
    return { type: 'failed', status: response.status, error: `HTTP ${response.status}` };
  } catch (error) {
    return { type: 'failed', error: describeFailure(error, request.timeoutMs) };
  }
};

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `timed out after ${timeoutMs} ms`;
  }
  const cause =
    error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error instanceof Error ? error.message : String(error)}${cause}`.slice(0, 500);
}
