import type { RoutingPropertyName } from '@threadline/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { RoutingSettingsPort } from '../../application/ports.ts';
import {
  changeRoutingProperties,
  effectiveRoutingSettings,
  type RoutingPropertyValues,
  type RoutingSettings,
} from '../../domain/routing-settings.ts';
import type { RouterDatabase } from './database.ts';

type Db = Kysely<RouterDatabase> | Transaction<RouterDatabase>;

/**
 * The settings in force for the organization or one of its groups: the group's `chats`
 * properties over the organization's over the defaults, so an organization that never set
 * anything reads the defaults. Usable in a transaction.
 */
export async function readRoutingSettings(
  db: Db,
  organizationId: string,
  groupId?: number,
): Promise<RoutingSettings> {
  const rows = await db
    .selectFrom('routing_settings')
    .select(['group_id', 'settings'])
    .where('organization_id', '=', organizationId)
    .where((eb) =>
      groupId === undefined
        ? eb('group_id', 'is', null)
        : eb.or([eb('group_id', 'is', null), eb('group_id', '=', groupId)]),
    )
    .execute();
  const organization = rows.find((row) => row.group_id === null)?.settings;
  const group = rows.find((row) => row.group_id !== null)?.settings;
  return effectiveRoutingSettings(organization, group);
}

export interface RoutingSettingsChange {
  organizationId: string;
  groupId: number | undefined;
  set: RoutingPropertyValues;
  unset: readonly RoutingPropertyName[];
  /** The change's stream position (changes arrive in order, one at a time). */
  position: number;
  at: Date;
}

/** Applies set and deleted `chats` properties to the organization's (no group) or a group's row. */
export async function changeRoutingSettings(db: Db, change: RoutingSettingsChange): Promise<void> {
  const groupId = change.groupId ?? null;
  const row = await db
    .selectFrom('routing_settings')
    .select('settings')
    .where('organization_id', '=', change.organizationId)
    .where((eb) => (groupId === null ? eb('group_id', 'is', null) : eb('group_id', '=', groupId)))
    .executeTakeFirst();
  const settings = JSON.stringify(
    changeRoutingProperties(row?.settings ?? {}, change.set, change.unset),
  );
  await db
    .insertInto('routing_settings')
    .values({
      organization_id: change.organizationId,
      group_id: groupId,
      settings,
      change_position: change.position,
      updated_at: change.at,
    })
    .onConflict((conflict) =>
      conflict.columns(['organization_id', 'group_id']).doUpdateSet({
        settings,
        change_position: change.position,
        updated_at: change.at,
      }),
    )
    .execute();
}

/** A deleted group's settings no longer apply. */
export async function forgetGroupSettings(
  db: Db,
  organizationId: string,
  groupId: number,
): Promise<void> {
  await db
    .deleteFrom('routing_settings')
    .where('organization_id', '=', organizationId)
    .where('group_id', '=', groupId)
    .execute();
}

export function createRoutingSettingsStore(db: Kysely<RouterDatabase>): RoutingSettingsPort {
  return { of: (organizationId, groupId) => readRoutingSettings(db, organizationId, groupId) };
}
