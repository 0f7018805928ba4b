import type { Identity } from '@threadline/accounts';
import type { Command } from '@threadline/contracts';
import type { Api } from '@threadline/protocol';
import type { CustomerPushAudience } from '../domain/customer-subscriptions.ts';
import type { RateRefusal } from '../domain/rate-windows.ts';

/** Sends a command to the service behind a subject and returns its success payload (or throws). */
export interface Services {
  call(
    subject: string,
    command: Command,
    options?: { timeoutMs?: number; fallbackSubject?: string },
  ): Promise<unknown>;
}

/**
 * Rate limits (`too_many_requests`): `admit` is asked before every forwarded request and counts it
 * against its user; `admitAddress` counts a request against the client's address where the
 * request may come without a user (Web API calls before authentication, customer token grants,
 * RTM logins). Undefined admits; a refusal says when to come back.
 */
export interface RateLimiter {
  admit(request: {
    identity: Identity | undefined;
    api: Api;
    action: string;
  }): RateRefusal | undefined | Promise<RateRefusal | undefined>;
  admitAddress(address: string | undefined): RateRefusal | undefined;
}

export const admitEverything: RateLimiter = {
  admit: () => undefined,
  admitAddress: () => undefined,
};

/** Publishes a push to users' connections, wherever they are connected. */
export interface PushPublisher {
  toUsers(
    organizationId: string,
    userIds: Iterable<string>,
    action: string,
    payload: unknown,
    /** The connection and request that caused it: they get `request_id` on their copy. */
    origin?: { connectionId?: string | undefined; requestId?: string | undefined },
  ): void;
  /**
   * A push about a customer to the organization's agents: delivered by the connections of the
   * audience's agents and by those subscribed to the customer (`subscribe_customers`).
   */
  aboutCustomer(
    organizationId: string,
    audience: CustomerPushAudience,
    action: string,
    payload: unknown,
    origin?: { connectionId?: string | undefined; requestId?: string | undefined },
  ): void;
}
