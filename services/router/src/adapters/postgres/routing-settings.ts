import { type Kysely, sql } from 'kysely';
import type { RoutingSettingsPort, RoutingSettingsStore } from '../../application/ports.ts';
import {
  effectiveRoutingSettings,
  type GroupRoutingSettings,
  type RoutingSettings,
} from '../../domain/routing-settings.ts';
import type { RouterDatabase } from './database.ts';

/**
 * Routing settings kept from `routing_settings_updated` changes. Reading merges the group's row
 * over the organization's over the defaults, so an organization that never set anything reads the
 * defaults.
 */
export function createRoutingSettingsStore(
  db: Kysely<RouterDatabase>,
): RoutingSettingsPort & RoutingSettingsStore {
  return {
    async of(organizationId, groupId) {
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
      const organization = rows.find((row) => row.group_id === null)?.settings as
        | RoutingSettings
        | undefined;
      const group = rows.find((row) => row.group_id !== null)?.settings as
        | GroupRoutingSettings
        | undefined;
      return effectiveRoutingSettings(organization, group);
    },

    async save({ organizationId, groupId, settings, position, at }) {
      await db
        .insertInto('routing_settings')
        .values({
          organization_id: organizationId,
          group_id: groupId ?? null,
          settings: JSON.stringify(settings),
          change_position: position,
          updated_at: at,
        })
        .onConflict((conflict) =>
          conflict
            .columns(['organization_id', 'group_id'])
            .doUpdateSet({
              settings: (eb) => eb.ref('excluded.settings'),
              change_position: (eb) => eb.ref('excluded.change_position'),
              updated_at: (eb) => eb.ref('excluded.updated_at'),
            })
            // A redelivered older change must not undo a newer one.
            .where('routing_settings.change_position', '<', sql<string>`excluded.change_position`),
        )
        .execute();
    },

    async forgetGroup(organizationId, groupId) {
      await db
        .deleteFrom('routing_settings')
        .where('organization_id', '=', organizationId)
        .where('group_id', '=', groupId)
        .execute();
    },
  };
}
