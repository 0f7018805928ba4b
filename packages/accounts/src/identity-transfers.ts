import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AccountsDatabase } from './database.ts';
import { hashSecret, newSecretToken } from './secrets.ts';

/** LiveChat's identity transfer tokens live an hour (`expires_in: 3600`). */
export const identityTransferLifetimeSeconds = 3_600;

/**
 * `POST /v2/customer/identity_transfer`: a one-time token that lets another client (a mobile
 * app, another site) take over this customer's identity with the `identity_token` grant. With a
 * PKCE `code_challenge` (S256), the redeemer must also show the matching `code_verifier`.
 */
export async function createIdentityTransfer(
  db: Kysely<AccountsDatabase>,
  input: {
    organizationId: string;
    customerId: string;
    clientId: string;
    codeChallenge?: string | undefined;
    now?: Date;
  },
): Promise<{ token: string; expiresIn: number }> {
  const token = newSecretToken();
  const now = input.now ?? new Date();
  await db
    .insertInto('identity_transfers')
    .values({
      token_hash: hashSecret(token),
      organization_id: input.organizationId,
      customer_id: input.customerId,
      client_id: input.clientId,
      code_challenge: input.codeChallenge ?? null,
      expires_at: new Date(now.getTime() + identityTransferLifetimeSeconds * 1000),
    })
    .execute();
  return { token, expiresIn: identityTransferLifetimeSeconds };
}

export type RedeemedTransfer =
  | { ok: true; organizationId: string; customerId: string }
  | { ok: false; reason: 'unknown_or_expired' | 'wrong_client' | 'wrong_verifier' };

/**
 * Redeems a transfer token once (it is deleted whatever the outcome, so a guessed verifier gets
 * one try). The client must be the one named at creation.
 */
export async function redeemIdentityTransfer(
  db: Kysely<AccountsDatabase>,
  input: { token: string; clientId: string; codeVerifier?: string | undefined; now?: Date },
): Promise<RedeemedTransfer> {
  const row = await db
    .deleteFrom('identity_transfers')
    .where('token_hash', '=', hashSecret(input.token))
    .returningAll()
    .executeTakeFirst();
  if (!row || row.expires_at <= (input.now ?? new Date())) {
    return { ok: false, reason: 'unknown_or_expired' };
  }
  if (row.client_id !== input.clientId) return { ok: false, reason: 'wrong_client' };
  if (row.code_challenge !== null && !verifierMatches(row.code_challenge, input.codeVerifier)) {
    return { ok: false, reason: 'wrong_verifier' };
  }
  return { ok: true, organizationId: row.organization_id, customerId: row.customer_id };
}

/** PKCE S256: base64url(sha256(verifier)) equals the challenge. */
function verifierMatches(challenge: string, verifier: string | undefined): boolean {
  if (!verifier) return false;
  return createHash('sha256').update(verifier, 'utf8').digest('base64url') === challenge;
}
