import type { Identity } from '@threadline/accounts';
import { ProtocolError } from '@threadline/protocol';
import type { RateRefusal, RateWindows } from '../domain/rate-windows.ts';
import type { RateLimiter } from './ports.ts';

/** `too_many_requests`, knowing when the limit lifts (the Web API's `Retry-After`). */
export class RateLimitedError extends ProtocolError {
  constructor(
    readonly retryAfterMs: number,
    message = 'Too many requests',
  ) {
    super('too_many_requests', message);
  }
}

/** Throws the refusal, if there is one. */
export function requireAdmitted(refusal: RateRefusal | undefined): void {
  if (refusal) throw new RateLimitedError(refusal.retryAfterMs);
}

export interface RateLimitSettings {
  perUser: number;
  perAddress: number;
}

export type RateLimitKind = 'user' | 'address';

/**
 * Limits per user and per client address over shared windows. A user is the token's owner: a
 * client cannot escape the limit by minting more tokens for the same agent or customer.
 */
export function createRateLimiter(
  windows: RateWindows,
  settings: RateLimitSettings,
  onRefused: (kind: RateLimitKind) => void,
  clock: () => number = Date.now,
): RateLimiter {
  const admitKey = (kind: RateLimitKind, key: string, limit: number) => {
    const refusal = windows.admit(`${kind}:${key}`, limit, clock());
    if (refusal) onRefused(kind);
    return refusal;
  };
  return {
    admit: ({ identity }) =>
      identity ? admitKey('user', userKey(identity), settings.perUser) : undefined,
    admitAddress: (address) =>
      address === undefined ? undefined : admitKey('address', address, settings.perAddress),
  };
}

function userKey(identity: Identity): string {
  return `${identity.organizationId}:${identity.userId}`;
}
