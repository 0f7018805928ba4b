import type { NatsConnection } from '@nats-io/nats-core';
import { Push } from '@threadline/contracts';
import { encodePush } from './rpc.ts';
import type { Subjects } from './subjects.ts';
import { publishTraced } from './trace-headers.ts';

/** A token that no longer authenticates, and whose sessions it opened. */
export interface TokenRevocation {
  organizationId: string;
  userType: 'agent' | 'bot' | 'customer';
  userId: string;
  /** `Identity.credentialId` of those sessions (a PAT's id, a bearer token's hash). */
  credentialId: string;
}

/**
 * Ends the RTM sessions logged in with a revoked token, on every gateway: the user's own push
 * subject carries `agent_disconnected` / `customer_disconnected` with reason
 * `access_token_revoked` and the token's `credential_id`; a gateway closes only the sessions of
 * that credential (the gateway's `sessionEndReason`). Requests after the revocation are refused
 * anyway, since every request verifies its token against the accounts database; this reaches
 * the sockets that verified theirs at login. Core NATS, best effort: a gateway that misses it
 * keeps the session until its token would have expired or the socket closes.
 */
export function publishTokenRevoked(
  connection: NatsConnection,
  subjects: Subjects,
  revocation: TokenRevocation,
): void {
  const action =
    revocation.userType === 'customer' ? 'customer_disconnected' : 'agent_disconnected';
  const push = Push.fromPartial({
    organizationId: revocation.organizationId,
    action,
    payloadJson: JSON.stringify({
      reason: 'access_token_revoked',
      credential_id: revocation.credentialId,
    }),
  });
  publishTraced(
    connection,
    subjects.userPushes(revocation.organizationId, revocation.userId),
    encodePush(push),
  );
}
