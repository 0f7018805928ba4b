import { randomBytes, randomUUID } from 'node:crypto';
import {
  type AccountsDatabase,
  accountsSchema,
  hashSecret,
  tokenLifetimeSeconds,
} from '@threadline/accounts';
import { createDatabase } from '@threadline/postgres';

/** Rows per INSERT: large enough that seeding 20,000 customers takes a second or two. */
const chunk = 1_000;

/**
 * `count` customers of the organization, each with a bearer token of the widget client, written
 * straight into the accounts tables (as `/v2/customer/token` would leave them, without its HTTP
 * round trip per customer): the scenario measures RTM logins, not token grants. Returns the
 * tokens, each good for one customer's RTM login.
 */
export async function seedCustomerTokens(options: {
  databaseUrl: string;
  organizationId: string;
  clientId: string;
  count: number;
}): Promise<string[]> {
  const db = createDatabase<AccountsDatabase>({
    url: options.databaseUrl,
    schema: accountsSchema,
    poolSize: 1,
  });
  const tokens: string[] = [];
  const expiresAt = new Date(Date.now() + tokenLifetimeSeconds * 1000);
  try {
    for (let first = 0; first < options.count; first += chunk) {
      const size = Math.min(chunk, options.count - first);
      const customers = Array.from({ length: size }, () => ({
        id: randomUUID(),
        token: `dal:${randomBytes(32).toString('base64url')}`, // the shape of newSecretToken's
      }));
      await db
        .insertInto('customers')
        .values(
          customers.map((customer) => ({
            id: customer.id,
            organization_id: options.organizationId,
            name: null,
            email: null,
            avatar: null,
            session_fields: '[]',
            cookie_secret_hash: null,
          })),
        )
        .execute();
      await db
        .insertInto('issued_tokens')
        .values(
          customers.map((customer) => ({
            token_hash: hashSecret(customer.token),
            organization_id: options.organizationId,
            entity_type: 'customer' as const,
            entity_id: customer.id,
            client_id: options.clientId,
            group_id: null,
            expires_at: expiresAt,
          })),
        )
        .execute();
      tokens.push(...customers.map((customer) => customer.token));
    }
  } finally {
    await db.destroy();
  }
  return tokens;
}
