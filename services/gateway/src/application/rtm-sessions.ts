import type { Identity } from '@threadline/accounts';
import type { ResumeCursor, ResumeOutcome } from '@threadline/protocol';
import type { CustomerSubscriptions } from '../domain/customer-subscriptions.ts';

/**
 * An RTM connection as the session methods (`set_away_status`, `update_session`, `logout`, …)
 * see it: they act on the connection that sent the request, and on the user's other ones here.
 */
export interface RtmSession {
  readonly id: string;
  readonly api: 'agent' | 'customer';
  /** Undefined until login succeeds. */
  readonly identity: Identity | undefined;
  away: boolean;
  readonly customerSubscriptions: CustomerSubscriptions;
  renew(identity: Identity): void;
  /** `resume_chats`: the replay goes out right after the response to `requestId`. */
  resumeChats(
    cursors: ResumeCursor[],
    requestId: string | undefined,
  ): Promise<{ chats: ResumeOutcome[] }>;
  endAfterResponse(): void;
}

/** The RTM connections of this gateway, by id and by user. */
export interface RtmSessions {
  find(connectionId: string | undefined): RtmSession | undefined;
  ofUser(organizationId: string, userId: string): RtmSession[];
}

/** A registry the RTM server fills as connections open and close. */
export function createSessionRegistry() {
  const sessions = new Map<string, RtmSession>();
  return {
    add(session: RtmSession): void {
      sessions.set(session.id, session);
    },
    remove(session: RtmSession): void {
      sessions.delete(session.id);
    },
    find(connectionId: string | undefined): RtmSession | undefined {
      return connectionId === undefined ? undefined : sessions.get(connectionId);
    },
    ofUser(organizationId: string, userId: string): RtmSession[] {
      return [...sessions.values()].filter(
        (session) =>
          session.identity?.organizationId === organizationId && session.identity.userId === userId,
      );
    },
  };
}

export type SessionRegistry = ReturnType<typeof createSessionRegistry>;
