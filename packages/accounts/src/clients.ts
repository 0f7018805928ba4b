import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { AccountsDatabase } from './database.ts';
import { requireOrganization } from './organizations.ts';
import { newHexId } from './secrets.ts';
import { isUuid, nameSchema, parseInput } from './validation.ts';

/**
 * OAuth clients of an organization. `customer_widget` clients may ask for customer identities
 * with the cookie grant (a chat widget in a browser); `server` clients are back ends (webhook
 * owners, agent_token grants).
 */
export type ClientKind = 'customer_widget' | 'server';

export interface Client {
  /** 32 hex characters, like LiveChat's client ids. */
  id: string;
  organizationId: string;
  name: string;
  kind: ClientKind;
  createdAt: Date;
}

const createClientInput = z.object({
  organizationId: z.string(),
  name: nameSchema,
  kind: z.enum(['customer_widget', 'server']).default('customer_widget'),
});

export async function createClient(
  db: Kysely<AccountsDatabase>,
  input: { organizationId: string; name: string; kind?: ClientKind },
): Promise<Client> {
  const { organizationId, name, kind } = parseInput(createClientInput, input);
  await requireOrganization(db, organizationId);
  const row = await db
    .insertInto('clients')
    .values({ id: newHexId(), organization_id: organizationId, name, kind })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toClient(row);
}

export async function findClient(
  db: Kysely<AccountsDatabase>,
  clientId: string,
): Promise<Client | undefined> {
  const row = await db
    .selectFrom('clients')
    .selectAll()
    .where('id', '=', clientId)
    .executeTakeFirst();
  return row && toClient(row);
}

/** The organization's clients, oldest first. */
export async function listClients(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
): Promise<Client[]> {
  if (!isUuid(organizationId)) return [];
  const rows = await db
    .selectFrom('clients')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toClient);
}

function toClient(row: {
  id: string;
  organization_id: string;
  name: string;
  kind: string;
  created_at: Date;
}): Client {
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    kind: row.kind as ClientKind,
    createdAt: row.created_at,
  };
}
