import {
  deleteGroupProperties,
  deleteLicenseProperties,
  listGroupsProperties,
  listPropertyConfigs,
  type PropertyConfig,
  publishProperty,
  registerProperty,
  unregisterProperty,
  updateGroupProperties,
  updateLicenseProperties,
} from '@threadline/accounts';
import { handle, requireManager } from './configuration-support.ts';
import type { LocalMethodDependencies, LocalMethods } from './local-method.ts';

type Dependencies = Pick<LocalMethodDependencies, 'db' | 'configurationChanges'>;

/**
 * Configuration API: property configurations (owned by a client of the organization, checked and
 * filled in by the dispatcher) and license and group property values. `list_license_properties`
 * and 3.4's `list_group_properties` share their names with the Customer Chat API's methods and are
 * answered by the same handlers (`widget.ts`), with a token here.
 */
export function createConfigurationPropertyMethods(dependencies: Dependencies): LocalMethods {
  const { db, configurationChanges } = dependencies;

  return {
    register_property: handle<'register_property'>(async (payload, caller) => {
      requireManager(caller);
      const { owner_client_id: ownerClientId, ...registration } = payload;
      await registerProperty(db, caller.organizationId, {
        ownerClientId: ownerClientId as string,
        registration,
      });
      return {};
    }),

    unregister_property: handle<'unregister_property'>(async (payload, caller) => {
      requireManager(caller);
      await unregisterProperty(db, caller.organizationId, {
        ownerClientId: payload.owner_client_id as string,
        name: payload.name,
      });
      return {};
    }),

    publish_property: handle<'publish_property'>(async (payload, caller) => {
      requireManager(caller);
      await publishProperty(db, caller.organizationId, {
        ownerClientId: payload.owner_client_id as string,
        name: payload.name,
        accessType: payload.access_type,
      });
      return {};
    }),

    list_properties: handle<'list_properties'>(async (payload, caller) => {
      const configs = await listPropertyConfigs(
        db,
        caller.organizationId,
        payload.owner_client_id as string,
      );
      return Object.fromEntries(configs.map((config) => [config.name, configView(config)]));
    }),

    update_license_properties: handle<'update_license_properties'>(
      async ({ properties }, caller) => {
        requireManager(caller);
        await updateLicenseProperties(db, caller.organizationId, properties);
        await configurationChanges.announce(caller, 'license_properties_updated', { properties });
        return {};
      },
    ),

    delete_license_properties: handle<'delete_license_properties'>(
      async ({ properties }, caller) => {
        requireManager(caller);
        await deleteLicenseProperties(db, caller.organizationId, properties);
        // LiveChat has no push for it; the router reads it (a routing setting back to default).
        await configurationChanges.announce(
          caller,
          'license_properties_deleted',
          { properties },
          { push: false },
        );
        return {};
      },
    ),

    update_group_properties: handle<'update_group_properties'>(async (payload, caller) => {
      requireManager(caller);
      await updateGroupProperties(db, caller.organizationId, payload.group_id, payload.properties);
      await configurationChanges.announce(caller, 'group_properties_updated', {
        group_id: payload.group_id,
        properties: payload.properties,
      });
      return {};
    }),

    list_groups_properties: handle<'list_groups_properties'>(async (payload, caller) =>
      listGroupsProperties(db, caller.organizationId, payload.group_ids, {
        namespace: payload.namespace,
        namePrefix: payload.name_prefix,
      }),
    ),

    delete_group_properties: handle<'delete_group_properties'>(async (payload, caller) => {
      requireManager(caller);
      await deleteGroupProperties(db, caller.organizationId, payload.id, payload.properties);
      await configurationChanges.announce(
        caller,
        'group_properties_deleted',
        { group_id: payload.id, properties: payload.properties },
        { push: false },
      );
      return {};
    }),
  };
}

/** `list_properties` entries: LiveChat's sample shows type, description, access, public_access. */
function configView(config: PropertyConfig): Record<string, unknown> {
  return {
    type: config.type,
    description: config.description,
    access: config.access,
    ...(config.domain ? { domain: config.domain } : {}),
    ...(config.range ? { range: config.range } : {}),
    ...(config.defaultValue !== undefined ? { default_value: config.defaultValue } : {}),
    ...(config.publicAccess ? { public_access: config.publicAccess } : {}),
  };
}
