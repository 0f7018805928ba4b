import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures in the style of Stripe and Standard Webhooks: an HMAC-SHA256, keyed with
 * the registration's `secret_key`, over `"<timestamp>.<raw body>"`. Signing the timestamp with the
 * body lets a receiver refuse a captured request replayed later (it checks the timestamp is
 * recent), which a signature over the body alone cannot. The `v1=` prefix names the scheme, so a
 * later one can be sent beside it.
 */
export const signatureScheme = 'v1';

/** How far a timestamp may be from the receiver's clock before `verifySignature` refuses it. */
export const defaultToleranceSeconds = 5 * 60;

/** `v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`. */
export function signWebhook(body: string, secretKey: string, timestampSeconds: number): string {
  return `${signatureScheme}=${hmac(body, secretKey, String(timestampSeconds)).toString('hex')}`;
}

export type Verification = { valid: true } | { valid: false; reason: string };

/**
 * Checks a received webhook: the timestamp within `toleranceSeconds` of `nowSeconds`, and the
 * signature recomputed over the exact body received, compared in constant time.
 */
export function verifySignature(received: {
  body: string;
  secretKey: string;
  timestamp: string | undefined;
  signature: string | undefined;
  nowSeconds: number;
  toleranceSeconds?: number;
}): Verification {
  const { timestamp, signature } = received;
  if (!timestamp || !/^\d+$/.test(timestamp)) return { valid: false, reason: 'bad timestamp' };
  const tolerance = received.toleranceSeconds ?? defaultToleranceSeconds;
  if (Math.abs(received.nowSeconds - Number(timestamp)) > tolerance) {
    return { valid: false, reason: 'timestamp outside the tolerance' };
  }
  const prefix = `${signatureScheme}=`;
  if (!signature?.startsWith(prefix)) return { valid: false, reason: 'no v1 signature' };
  const given = Buffer.from(signature.slice(prefix.length), 'hex');
  const expected = hmac(received.body, received.secretKey, timestamp);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { valid: false, reason: 'signature mismatch' };
  }
  return { valid: true };
}

function hmac(body: string, secretKey: string, timestamp: string): Buffer {
  return createHmac('sha256', secretKey).update(`${timestamp}.`).update(body).digest();
}
