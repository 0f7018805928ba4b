/**
 * What an `agent_disconnected` / `customer_disconnected` control push on a user's subject means
 * to one of the user's sessions. A suspension, a ban or a remote logout ends every session of the
 * user; a revoked token names itself (`credential_id` = `Identity.credentialId`, sent by
 * `publishTokenRevoked` of `@threadline/bus`) and ends only the sessions logged in with it: the
 * agent's other devices, on other tokens, stay.
 *
 * Returns the reason to disconnect with, or undefined when the push is about another session.
 */
export function sessionEndReason(
  payload: unknown,
  sessionCredentialId: string | undefined,
): string | undefined {
  const { reason, credential_id: credentialId } = (payload ?? {}) as {
    reason?: unknown;
    credential_id?: unknown;
  };
  if (typeof credentialId === 'string' && credentialId !== sessionCredentialId) return undefined;
  return typeof reason === 'string' ? reason : 'internal_error';
}
