import type { Identity } from '@threadline/accounts';
import type { Command } from '@threadline/contracts';
import type { Api } from '@threadline/protocol';

/** Sends a command to the service behind a subject and returns its success payload (or throws). */
export interface Services {
  call(subject: string, command: Command, options?: { timeoutMs?: number }): Promise<unknown>;
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
}
