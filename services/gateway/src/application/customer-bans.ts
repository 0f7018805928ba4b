import { type AccountsDatabase, findActiveBan } from '@threadline/accounts';
import type { Kysely } from '@threadline/postgres';
import { ProtocolError } from '@threadline/protocol';

/** A banned customer gets no token, no login and no Web API call until the ban expires. */
export async function requireNotBanned(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  customerId: string,
): Promise<void> {
  const ban = await findActiveBan(db, organizationId, customerId);
  if (ban) {
    throw new ProtocolError('customer_banned', 'The customer is banned', {
      expires_at: ban.expiresAt.toISOString(),
    });
  }
}
