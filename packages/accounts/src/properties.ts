import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import { requireClientOf } from './agents.ts';
import { builtInPropertyConfigs } from './built-in-properties.ts';
import type { AccountsDatabase, PropertyConfigTable } from './database.ts';
import { AccountsError } from './errors.ts';
import { findGroup, groupNotFound } from './groups.ts';
import {
  namesProblem,
  type PropertyAccessType,
  type PropertyConfig,
  type PropertyFilters,
  type PropertyNames,
  type PropertyRegistration,
  type PropertyType,
  type PropertyValues,
  propertyKey,
  registrationProblem,
  valuesProblem,
  withDefaults,
} from './property-values.ts';
import { isUniqueViolation, isUuid, parseInput } from './validation.ts';

/** Threadline's cap on properties registered per client. */
export const maxPropertiesPerClient = 200;

type Db = Kysely<AccountsDatabase> | Transaction<AccountsDatabase>;

/** `register_property`: a private property of one of the organization's clients. */
export async function registerProperty(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  input: { ownerClientId: string; registration: PropertyRegistration },
): Promise<PropertyConfig> {
  const { registration } = input;
  const problem = registrationProblem(registration);
  if (problem) throw new AccountsError('validation', problem);
  await requireClientOf(db, organizationId, input.ownerClientId);
  try {
    return await db.transaction().execute(async (trx) => {
      const { count } = await trx
        .selectFrom('property_configs')
        .select(sql<number>`count(*)`.as('count'))
        .where('owner_client_id', '=', input.ownerClientId)
        .executeTakeFirstOrThrow();
      if (Number(count) >= maxPropertiesPerClient) {
        throw new AccountsError('limit_reached', `At most ${maxPropertiesPerClient} properties`);
      }
      const row = await trx
        .insertInto('property_configs')
        .values({
          owner_client_id: input.ownerClientId,
          name: registration.name,
          organization_id: organizationId,
          type: registration.type,
          description: registration.description ?? '',
          access: JSON.stringify(registration.access),
          domain: registration.domain ? JSON.stringify(registration.domain) : null,
          range: registration.range ? JSON.stringify(registration.range) : null,
          default_value:
            registration.default_value === undefined
              ? null
              : JSON.stringify(registration.default_value),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toConfig(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AccountsError('already_exists', `Property ${registration.name} already exists`, {
        cause: error,
      });
    }
    throw error;
  }
}

/** `unregister_property`: private properties only (LiveChat: published ones stay for good). */
export async function unregisterProperty(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  property: { ownerClientId: string; name: string },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const config = await requireConfig(trx, organizationId, property);
    if (config.publicAccess) {
      throw new AccountsError('validation', `Property ${property.name} is published`);
    }
    for (const table of ['license_properties', 'group_properties'] as const) {
      await trx
        .deleteFrom(table)
        .where('organization_id', '=', organizationId)
        .where('namespace', '=', property.ownerClientId)
        .where('name', '=', property.name)
        .execute();
    }
    await trx
      .deleteFrom('property_configs')
      .where('owner_client_id', '=', property.ownerClientId)
      .where('name', '=', property.name)
      .execute();
  });
}

/** `publish_property`: what other clients may do with it from now on. */
export async function publishProperty(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  property: { ownerClientId: string; name: string; accessType: PropertyAccessType[] },
): Promise<PropertyConfig> {
  await requireConfig(db, organizationId, property);
  const row = await db
    .updateTable('property_configs')
    .set({ public_access: JSON.stringify([...new Set(property.accessType)]) })
    .where('owner_client_id', '=', property.ownerClientId)
    .where('name', '=', property.name)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toConfig(row);
}

/** `list_properties`: the configurations a client owns, by name. */
export async function listPropertyConfigs(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  ownerClientId: string,
): Promise<PropertyConfig[]> {
  if (!isUuid(organizationId)) return [];
  const rows = await db
    .selectFrom('property_configs')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('owner_client_id', '=', ownerClientId)
    .orderBy('name')
    .execute();
  return rows.map(toConfig);
}

/** Sets license property values (others stay); every value must fit a registered property. */
export async function updateLicenseProperties(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  values: PropertyValues,
): Promise<void> {
  await requireValidValues(db, organizationId, 'license', values);
  const rows = valueRows(values).map((row) => ({ ...row, organization_id: organizationId }));
  if (rows.length === 0) return;
  await db
    .insertInto('license_properties')
    .values(rows)
    .onConflict((conflict) =>
      conflict
        .columns(['organization_id', 'namespace', 'name'])
        .doUpdateSet((update) => ({ value: update.ref('excluded.value') })),
    )
    .execute();
}

/** License property values, defaults included; optionally one namespace and a name prefix. */
export async function listLicenseProperties(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  filters: PropertyFilters = {},
): Promise<PropertyValues> {
  if (!isUuid(organizationId)) return {};
  const rows = await db
    .selectFrom('license_properties')
    .select(['namespace', 'name', 'value'])
    .where('organization_id', '=', organizationId)
    .execute();
  const configs = await loadPropertyConfigs(db, organizationId);
  return withDefaults(configs.values(), 'license', toValues(rows), filters);
}

/** Removes license property values (`{namespace:[names]}`); their defaults show again. */
export async function deleteLicenseProperties(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  names: Record<string, string[]>,
): Promise<void> {
  await requireKnownNames(db, organizationId, 'license', names);
  for (const [namespace, list] of Object.entries(names)) {
    if (list.length === 0) continue;
    await db
      .deleteFrom('license_properties')
      .where('organization_id', '=', organizationId)
      .where('namespace', '=', namespace)
      .where('name', 'in', list)
      .execute();
  }
}

/** Sets a group's property values (others stay); `group_not_found` for an unknown group. */
export async function updateGroupProperties(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  groupId: number,
  values: PropertyValues,
): Promise<void> {
  if (!(await findGroup(db, organizationId, groupId))) throw groupNotFound(groupId);
  await requireValidValues(db, organizationId, 'group', values);
  const rows = valueRows(values).map((row) => ({
    ...row,
    organization_id: organizationId,
    group_id: groupId,
  }));
  if (rows.length === 0) return;
  await db
    .insertInto('group_properties')
    .values(rows)
    .onConflict((conflict) =>
      conflict
        .columns(['organization_id', 'group_id', 'namespace', 'name'])
        .doUpdateSet((update) => ({ value: update.ref('excluded.value') })),
    )
    .execute();
}

/**
 * Property values of the given groups (all groups when `groupIds` is empty), defaults included,
 * in group order. Unknown groups are `group_not_found`.
 */
export async function listGroupsProperties(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  groupIds: readonly number[],
  filters: PropertyFilters = {},
): Promise<{ id: number; properties: PropertyValues }[]> {
  if (!isUuid(organizationId)) return [];
  const groups = await db
    .selectFrom('groups')
    .select('id')
    .where('organization_id', '=', organizationId)
    .orderBy('id')
    .execute();
  const existing = groups.map((group) => group.id);
  const missing = groupIds.find((id) => !existing.includes(id));
  if (missing !== undefined) throw groupNotFound(missing);
  const wanted = groupIds.length > 0 ? existing.filter((id) => groupIds.includes(id)) : existing;
  if (wanted.length === 0) return [];
  const rows = await db
    .selectFrom('group_properties')
    .select(['group_id', 'namespace', 'name', 'value'])
    .where('organization_id', '=', organizationId)
    .where('group_id', 'in', wanted)
    .execute();
  const configs = [...(await loadPropertyConfigs(db, organizationId)).values()];
  return wanted.map((id) => ({
    id,
    properties: withDefaults(
      configs,
      'group',
      toValues(rows.filter((row) => row.group_id === id)),
      filters,
    ),
  }));
}

/** Removes a group's property values (`{namespace:[names]}`). */
export async function deleteGroupProperties(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  groupId: number,
  names: Record<string, string[]>,
): Promise<void> {
  if (!(await findGroup(db, organizationId, groupId))) throw groupNotFound(groupId);
  await requireKnownNames(db, organizationId, 'group', names);
  for (const [namespace, list] of Object.entries(names)) {
    if (list.length === 0) continue;
    await db
      .deleteFrom('group_properties')
      .where('organization_id', '=', organizationId)
      .where('group_id', '=', groupId)
      .where('namespace', '=', namespace)
      .where('name', 'in', list)
      .execute();
  }
}

/**
 * Every property configuration usable in the organization, by `<namespace>.<name>`: its clients'
 * and the built-in ones (`test` and LiveChat's defaults).
 */
export async function loadPropertyConfigs(
  db: Db,
  organizationId: string,
): Promise<Map<string, PropertyConfig>> {
  const rows = isUuid(organizationId)
    ? await db
        .selectFrom('property_configs')
        .selectAll()
        .where('organization_id', '=', organizationId)
        .execute()
    : [];
  const configs = [...builtInPropertyConfigs, ...rows.map(toConfig)];
  return new Map(configs.map((config) => [propertyKey(config.ownerClientId, config.name), config]));
}

async function requireValidValues(
  db: Db,
  organizationId: string,
  location: 'license' | 'group',
  values: PropertyValues,
): Promise<void> {
  const problem = valuesProblem(await loadPropertyConfigs(db, organizationId), location, values);
  if (problem) throw new AccountsError('validation', problem);
}

async function requireKnownNames(
  db: Db,
  organizationId: string,
  location: 'license' | 'group',
  names: PropertyNames,
): Promise<void> {
  const problem = namesProblem(await loadPropertyConfigs(db, organizationId), location, names);
  if (problem) throw new AccountsError('validation', problem);
}

async function requireConfig(
  db: Db,
  organizationId: string,
  property: { ownerClientId: string; name: string },
): Promise<PropertyConfig> {
  const row = isUuid(organizationId)
    ? await db
        .selectFrom('property_configs')
        .selectAll()
        .where('organization_id', '=', organizationId)
        .where('owner_client_id', '=', property.ownerClientId)
        .where('name', '=', property.name)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new AccountsError('not_found', `Property ${property.name} does not exist`);
  return toConfig(row);
}

const valuesSchema = z.record(z.string(), z.record(z.string(), z.unknown()));

function valueRows(values: PropertyValues): { namespace: string; name: string; value: string }[] {
  return Object.entries(parseInput(valuesSchema, values)).flatMap(([namespace, properties]) =>
    Object.entries(properties).map(([name, value]) => ({
      namespace,
      name,
      value: JSON.stringify(value),
    })),
  );
}

function toValues(rows: { namespace: string; name: string; value: unknown }[]): PropertyValues {
  const values: PropertyValues = {};
  for (const row of rows)
    values[row.namespace] = { ...values[row.namespace], [row.name]: row.value };
  return values;
}

function toConfig(row: Selectable<PropertyConfigTable>): PropertyConfig {
  return {
    ownerClientId: row.owner_client_id,
    name: row.name,
    type: row.type as PropertyType,
    description: row.description,
    access: row.access,
    domain: row.domain ?? undefined,
    range: row.range ?? undefined,
    defaultValue: row.default_value ?? undefined,
    publicAccess: (row.public_access as PropertyAccessType[] | null) ?? undefined,
  };
}

/** One group's property values, defaults included (the Customer Chat API's `list_group_properties`). */
export async function listGroupProperties(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  groupId: number,
  filters: PropertyFilters = {},
): Promise<PropertyValues> {
  const [group] = await listGroupsProperties(db, organizationId, [groupId], filters);
  if (!group) throw groupNotFound(groupId);
  return group.properties;
}
