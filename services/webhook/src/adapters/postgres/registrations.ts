import { compileOnce } from '@threadline/postgres';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { RegistrationStore } from '../../application/ports.ts';
import type { Registration, WebhookFilters } from '../../domain/registration.ts';
import type { AdditionalDataName } from '../../domain/webhook-actions.ts';
import type { RegistrationsTable, WebhookDatabase } from './database.ts';

type Db = Kysely<WebhookDatabase>;

/**
 * Stores a registration unless its owner already has `limit` for that action. The count and the
 * insert run under a transaction-scoped advisory lock on (organization, owner, action), so two
 * replicas registering at once cannot both slip under the limit.
 */
export async function insertRegistration(
  db: Db,
  registration: Registration,
  limit: number,
): Promise<'registered' | 'limit_reached'> {
  return db.transaction().execute(async (trx) => {
    const key = `${registration.organizationId}/${registration.ownerClientId}/${registration.action}`;
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
    const { count } = await trx
      .selectFrom('registrations')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('organization_id', '=', registration.organizationId)
      .where('owner_client_id', '=', registration.ownerClientId)
      .where('action', '=', registration.action)
      .executeTakeFirstOrThrow();
    if (Number(count) >= limit) return 'limit_reached';
    await trx
      .insertInto('registrations')
      .values({
        id: registration.id,
        organization_id: registration.organizationId,
        owner_client_id: registration.ownerClientId,
        action: registration.action,
        url: registration.url,
        secret_key: registration.secretKey,
        type: registration.type,
        description: registration.description ?? null,
        filters: JSON.stringify(registration.filters),
        additional_data: JSON.stringify(registration.additionalData),
        api_version: registration.apiVersion,
      })
      .execute();
    return 'registered';
  });
}

export async function listRegistrations(
  db: Db,
  organizationId: string,
  ownerClientId: string,
): Promise<Registration[]> {
  const rows = await db
    .selectFrom('registrations')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('owner_client_id', '=', ownerClientId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toRegistration);
}

/** The organization's registrations for any of `actions`: what a batch may trigger. */
export async function registrationsForActions(
  db: Db,
  organizationId: string,
  actions: readonly string[],
): Promise<Registration[]> {
  if (actions.length === 0) return [];
  const rows = await db
    .selectFrom('registrations')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('action', 'in', actions)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toRegistration);
}

/**
 * Whether the organization has a webhook for any of these actions: one indexed probe, asked for
 * nearly every chat event batch, so its SQL is built once.
 */
export async function hasRegistrationFor(
  db: Db,
  organizationId: string,
  actions: readonly string[],
): Promise<boolean> {
  if (actions.length === 0) return false;
  const { rows } = await registrationProbe(db, organizationId, actions);
  return rows.length > 0;
}

const registrationProbe = compileOnce(
  (db: Db, organizationId: string, actions: readonly string[]) =>
    db
      .selectFrom('registrations')
      .select('id')
      .where('organization_id', '=', organizationId)
      .where(sql<boolean>`action = any(${actions}::text[])`)
      .limit(1),
);

/** Removes a registration (and, by cascade, its undelivered webhooks); false when not there. */
export async function deleteRegistration(
  db: Db,
  organizationId: string,
  ownerClientId: string,
  id: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('registrations')
    .where('id', '=', id)
    .where('organization_id', '=', organizationId)
    .where('owner_client_id', '=', ownerClientId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function setLicenseWebhooksEnabled(
  db: Db,
  organizationId: string,
  ownerClientId: string,
  enabled: boolean,
): Promise<void> {
  await db
    .insertInto('license_webhook_states')
    .values({ organization_id: organizationId, owner_client_id: ownerClientId, enabled })
    .onConflict((conflict) =>
      conflict
        .columns(['organization_id', 'owner_client_id'])
        .doUpdateSet({ enabled, updated_at: sql`now()` }),
    )
    .execute();
}

/** Off until enabled: Threadline has no app installation that would switch it on by itself. */
export async function isLicenseWebhooksEnabled(
  db: Db,
  organizationId: string,
  ownerClientId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('license_webhook_states')
    .select('enabled')
    .where('organization_id', '=', organizationId)
    .where('owner_client_id', '=', ownerClientId)
    .executeTakeFirst();
  return row?.enabled ?? false;
}

export async function enabledLicenseOwners(
  db: Db,
  organizationId: string,
  ownerClientIds: readonly string[],
): Promise<Set<string>> {
  if (ownerClientIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('license_webhook_states')
    .select('owner_client_id')
    .where('organization_id', '=', organizationId)
    .where('owner_client_id', 'in', ownerClientIds)
    .where('enabled', '=', true)
    .execute();
  return new Set(rows.map((row) => row.owner_client_id));
}

function toRegistration(row: Selectable<RegistrationsTable>): Registration {
  return {
    id: row.id,
    organizationId: row.organization_id,
    ownerClientId: row.owner_client_id,
    action: row.action,
    url: row.url,
    secretKey: row.secret_key,
    type: row.type,
    description: row.description ?? undefined,
    filters: row.filters as WebhookFilters,
    additionalData: row.additional_data as AdditionalDataName[],
    apiVersion: row.api_version,
  };
}

/** The RegistrationStore port over these queries. */
export function createRegistrationStore(db: Db): RegistrationStore {
  return {
    register: (registration, limit) => insertRegistration(db, registration, limit),
    list: (organizationId, ownerClientId) => listRegistrations(db, organizationId, ownerClientId),
    unregister: (organizationId, ownerClientId, id) =>
      deleteRegistration(db, organizationId, ownerClientId, id),
    setLicenseWebhooksEnabled: (organizationId, ownerClientId, enabled) =>
      setLicenseWebhooksEnabled(db, organizationId, ownerClientId, enabled),
    isLicenseWebhooksEnabled: (organizationId, ownerClientId) =>
      isLicenseWebhooksEnabled(db, organizationId, ownerClientId),
  };
}
