import { createHash, randomBytes } from 'node:crypto';

/**
 * Tokens look like LiveChat's (`dal:<random>`): SDKs read the region from the prefix and send it
 * back in `X-Region`, so keeping the shape keeps them happy. 32 random bytes make them unguessable.
 */
const tokenRegion = 'dal';

export function newSecretToken(): string {
  return `${tokenRegion}:${randomBytes(32).toString('base64url')}`;
}

/** 32 hex characters: the shape of LiveChat client ids and bot ids. */
export function newHexId(): string {
  return randomBytes(16).toString('hex');
}

/** Only this hash is stored; the token itself is shown once to whoever created it. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** `base64(account_id:PAT)`, what an agent puts after `Basic ` in the Authorization header. */
export function basicCredentials(accountId: string, pat: string): string {
  return Buffer.from(`${accountId}:${pat}`, 'utf8').toString('base64');
}

export type Credentials =
  | { scheme: 'basic'; accountId: string; secret: string }
  | { scheme: 'bearer'; token: string };

/**
 * Reads an Authorization header value (or an RTM login `token`, which carries the same string).
 * The scheme is case-insensitive; anything unreadable yields undefined.
 */
export function parseCredentials(authorization: string | undefined): Credentials | undefined {
  if (!authorization) return undefined;
  const match = /^\s*(basic|bearer)\s+(\S+)\s*$/i.exec(authorization);
  if (!match) return undefined;
  const [, scheme, value] = match as unknown as [string, string, string];
  if (scheme.toLowerCase() === 'bearer') return { scheme: 'bearer', token: value };
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) return undefined;
  return { scheme: 'basic', accountId: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}
