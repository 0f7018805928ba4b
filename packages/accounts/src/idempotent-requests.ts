import type { Kysely } from 'kysely';
import type { AccountsDatabase } from './database.ts';

/** A request kept under its key: what it asked (fingerprint) and, once finished, its outcome. */
export interface IdempotentRequest {
  fingerprint: string;
  outcome: unknown;
  claimedAt: Date;
}

/**
 * Claims a key for a request about to run: true when this caller runs it (the key was free, or
 * its window had ended), false when another request holds it. One statement, so two gateways
 * claiming at once cannot both win.
 */
export async function claimIdempotentRequest(
  db: Kysely<AccountsDatabase>,
  input: { id: string; fingerprint: string; now: Date; expiresAt: Date },
): Promise<boolean> {
  const claimed = await db
    .insertInto('idempotent_requests')
    .values({
      id: input.id,
      fingerprint: input.fingerprint,
      outcome: null,
      claimed_at: input.now,
      expires_at: input.expiresAt,
    })
    .onConflict((conflict) =>
      conflict
        .column('id')
        .doUpdateSet((update) => ({
          fingerprint: update.ref('excluded.fingerprint'),
          outcome: null,
          claimed_at: update.ref('excluded.claimed_at'),
          expires_at: update.ref('excluded.expires_at'),
        }))
        .where('idempotent_requests.expires_at', '<=', input.now),
    )
    .returning('id')
    .executeTakeFirst();
  return claimed !== undefined;
}

export async function findIdempotentRequest(
  db: Kysely<AccountsDatabase>,
  id: string,
): Promise<IdempotentRequest | undefined> {
  const row = await db
    .selectFrom('idempotent_requests')
    .select(['fingerprint', 'outcome', 'claimed_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { fingerprint: row.fingerprint, outcome: row.outcome, claimedAt: row.claimed_at };
}

/**
 * Takes over a request whose gateway went away before finishing it: true for the one caller that
 * moved the claim from `claimedAt` (the claim it saw) to `now`.
 */
export async function takeOverIdempotentRequest(
  db: Kysely<AccountsDatabase>,
  input: { id: string; claimedAt: Date; now: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('idempotent_requests')
    .set({ claimed_at: input.now })
    .where('id', '=', input.id)
    .where('claimed_at', '=', input.claimedAt)
    .where('outcome', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function completeIdempotentRequest(
  db: Kysely<AccountsDatabase>,
  id: string,
  outcome: unknown,
): Promise<void> {
  await db
    .updateTable('idempotent_requests')
    .set({ outcome: JSON.stringify(outcome) })
    .where('id', '=', id)
    .execute();
}

/** Frees a key whose request ended in a way worth trying again (the service was unavailable). */
export async function releaseIdempotentRequest(
  db: Kysely<AccountsDatabase>,
  id: string,
): Promise<void> {
  await db
    .deleteFrom('idempotent_requests')
    .where('id', '=', id)
    .where('outcome', 'is', null)
    .execute();
}

export async function deleteExpiredIdempotentRequests(
  db: Kysely<AccountsDatabase>,
  now: Date = new Date(),
): Promise<number> {
  const result = await db
    .deleteFrom('idempotent_requests')
    .where('expires_at', '<=', now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
