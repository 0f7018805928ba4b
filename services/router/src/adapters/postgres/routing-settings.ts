import { type Kysely, sql } from 'kysely';
import type { RoutingSettingsPort } from '../../application/ports.ts';
import {
  effectiveRoutingSettings,
  type GroupRoutingSettings,
  type RoutingSettings,
} from '../../domain/routing-settings.ts';
import type { RouterDatabase } from './database.ts';

/**
 * The settings in force for the organization or one of its groups, kept from
 * `routing_settings_updated` changes: the group's row over the organization's over the defaults,
 * so an organization that never set anything reads the defaults. Usable in a transaction.
 */
export async function readRoutingSettings(
  db: Kysely<RouterDatabase>,
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
  // Both may be partial: the organization's fields over the defaults, the group's over those.
  return effectiveRoutingSettings(effectiveRoutingSettings(undefined, organization), group);
}

export interface RoutingSettingsChange {
  organizationId: string;
  groupId: number | undefined;
  settings: RoutingSettings | GroupRoutingSettings;
  /** The change's stream position: an older change redelivered after a newer one loses. */
  position: number;
  at: Date;
}

/** Replaces the organization's (no group) or a group's settings. */
export async function saveRoutingSettings(
  db: Kysely<RouterDatabase>,
  change: RoutingSettingsChange,
): Promise<void> {
  await db
    .insertInto('routing_settings')
    .values({
      organization_id: change.organizationId,
      group_id: change.groupId ?? null,
      settings: JSON.stringify(change.settings),
      change_position: change.position,
      updated_at: change.at,
    })
    .onConflict((conflict) =>
      conflict
        .columns(['organization_id', 'group_id'])
        .doUpdateSet({
          settings: (eb) => eb.ref('excluded.settings'),
          change_position: (eb) => eb.ref('excluded.change_position'),
          updated_at: (eb) => eb.ref('excluded.updated_at'),
        })
        .where('routing_settings.change_position', '<', sql<string>`excluded.change_position`),
    )
    .execute();
}

/** A deleted group's settings no longer apply. */
export async function forgetGroupSettings(
  db: Kysely<RouterDatabase>,
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
