import {
  type AccountsDatabase,
  claimIdempotentRequest,
  completeIdempotentRequest,
  findIdempotentRequest,
  releaseIdempotentRequest,
  takeOverIdempotentRequest,
} from '@threadline/accounts';
import type { Kysely } from '@threadline/postgres';
import type { IdempotencyStore } from '../../application/idempotency.ts';

/** Outcomes of repeated requests in the accounts schema, where every gateway replica sees them. */
export function createIdempotencyStore(db: Kysely<AccountsDatabase>): IdempotencyStore {
  return {
    claim: (input) => claimIdempotentRequest(db, input),
    find: (id) => findIdempotentRequest(db, id),
    takeOver: (input) => takeOverIdempotentRequest(db, input),
    complete: (id, outcome) => completeIdempotentRequest(db, id, outcome),
    release: (id) => releaseIdempotentRequest(db, id),
  };
}
