import type { Kysely, Transaction } from 'kysely';
import type { AccountsDatabase } from './database.ts';
import { basicCredentials, hashSecret, newSecretToken } from './secrets.ts';
import { isUuid } from './validation.ts';

/**
 * Agents' personal access tokens (`Authorization: Basic base64(account_id:PAT)`). Only their
 * hash is stored; the id names one in lists and revocations. A token lives until revoked, or
 * until its expiry when it was given one: LiveChat's PATs do not expire, but an operator handing
 * one to a script for a week should not have to remember to take it back.
 */
export interface CreatedPersonalAccessToken {
  id: string;
  /** The token; only its hash is stored, so this is the one chance to read it. */
  pat: string;
  /** `base64(account_id:pat)`, for `Authorization: Basic …`. */
  basicCredentials: string;
  expiresAt: Date | undefined;
}

export interface PersonalAccessToken {
  id: string;
  accountId: string;
  createdAt: Date;
  expiresAt: Date | undefined;
}

export interface PersonalAccessTokenOptions {
  /** Seconds the token lives; absent: until revoked. */
  lifetimeSeconds?: number | undefined;
  now?: Date | undefined;
}

/** A fresh token for an existing agent account (earlier ones stay valid). */
export async function createPersonalAccessToken(
  db: Kysely<AccountsDatabase> | Transaction<AccountsDatabase>,
  accountId: string,
  options: PersonalAccessTokenOptions = {},
): Promise<CreatedPersonalAccessToken> {
  const pat = newSecretToken();
  const expiresAt =
    options.lifetimeSeconds === undefined
      ? undefined
      : new Date((options.now ?? new Date()).getTime() + options.lifetimeSeconds * 1000);
  const { id } = await db
    .insertInto('personal_access_tokens')
    .values({ token_hash: hashSecret(pat), account_id: accountId, expires_at: expiresAt ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id, pat, basicCredentials: basicCredentials(accountId, pat), expiresAt };
}

/** The account's tokens, oldest first, expired ones included (they are shown as such). */
export async function listPersonalAccessTokens(
  db: Kysely<AccountsDatabase>,
  accountId: string,
): Promise<PersonalAccessToken[]> {
  if (!isUuid(accountId)) return [];
  const rows = await db
    .selectFrom('personal_access_tokens')
    .select(['id', 'account_id', 'created_at', 'expires_at'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    accountId: row.account_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at ?? undefined,
  }));
}

/**
 * Ends one of the account's tokens at once: the next request made with it is `authentication`.
 * False when the account has no such token. Sessions already logged in with it are the
 * gateway's to close (`credentialRevoked` in `@threadline/accounts`' callers).
 */
export async function revokePersonalAccessToken(
  db: Kysely<AccountsDatabase>,
  accountId: string,
  id: string,
): Promise<boolean> {
  if (!isUuid(accountId) || !isUuid(id)) return false;
  const result = await db
    .deleteFrom('personal_access_tokens')
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
