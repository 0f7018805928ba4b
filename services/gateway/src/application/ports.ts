import type { Identity } from '@threadline/accounts';
import type { Command } from '@threadline/contracts';
import type { Api } from '@threadline/protocol';
import type { CustomerPushAudience } from '../domain/customer-subscriptions.ts';

/** Sends a command to the service behind a subject and returns its success payload (or throws). */
export interface Services {
  call(
    subject: string,
    command: Command,
    options?: { timeoutMs?: number; fallbackSubject?: string },
  ): Promise<unknown>;
}

/**
 * The rate-limit hook (a later issue): asked before every forwarded request; `false` answers
 * `too_many_requests`. Threadline ships with a limiter that admits everything.
 */
export interface RateLimiter {
  admit(request: {
    identity: Identity | undefined;
    api: Api;
    action: string;
  }): Promise<boolean> | boolean;
}

export const admitEverything: RateLimiter = { admit: () => true };

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
