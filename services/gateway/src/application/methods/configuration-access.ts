import {
  addAutoAccess,
  autoAccessChanges,
  deleteAutoAccess,
  findOrganization,
  findOrganizationByLicenseId,
  listAutoAccesses,
  listCustomerBans,
  unbanCustomer,
  updateAutoAccess,
} from '@threadline/accounts';
import { formatTimestamp, type MethodPayload, ProtocolError } from '@threadline/protocol';
import { pick } from '../../domain/configuration-views.ts';
import { givenFields, handle, requireManager } from './configuration-support.ts';
import type { LocalMethod, LocalMethodDependencies, LocalMethods } from './local-method.ts';

type Dependencies = Pick<LocalMethodDependencies, 'db' | 'configurationChanges'>;

/** Configuration API: auto access rules, customer bans, license and organization id lookups. */
export function createConfigurationAccessMethods(dependencies: Dependencies): LocalMethods {
  const { db, configurationChanges } = dependencies;

  return {
    add_auto_access: handle<'add_auto_access'>(async (payload, caller) => {
      requireManager(caller);
      const { id, before, after } = await addAutoAccess(db, caller.organizationId, {
        description: payload.description,
        access: payload.access,
        conditions: payload.conditions,
        nextId: payload.next_id,
      });
      await configurationChanges.announce(
        caller,
        'auto_accesses_updated',
        autoAccessChanges(before, after),
      );
      return { id };
    }),

    list_auto_accesses: handle<'list_auto_accesses'>(async (_payload, caller) =>
      listAutoAccesses(db, caller.organizationId),
    ),

    update_auto_access: handle<'update_auto_access'>(async (payload, caller) => {
      requireManager(caller);
      const { before, after } = await updateAutoAccess(db, caller.organizationId, payload.id, {
        description: payload.description,
        access: payload.access,
        conditions: payload.conditions,
        nextId: payload.next_id,
      });
      const fields = pick(payload, givenFields(payload, ['id', 'next_id']));
      await configurationChanges.announce(
        caller,
        'auto_accesses_updated',
        autoAccessChanges(before, after, { id: payload.id, fields }),
      );
      return {};
    }),

    delete_auto_access: handle<'delete_auto_access'>(async ({ id }, caller) => {
      requireManager(caller);
      const { before, after } = await deleteAutoAccess(db, caller.organizationId, id);
      await configurationChanges.announce(
        caller,
        'auto_accesses_updated',
        autoAccessChanges(before, after),
      );
      return {};
    }),

    list_customer_bans: handle<'list_customer_bans'>(async (_payload, caller) => {
      const bans = await listCustomerBans(db, caller.organizationId);
      return bans.map((ban) => ({
        customer_id: ban.customerId,
        agent_id: ban.bannedBy,
        created_at: formatTimestamp(ban.createdAt),
        expires_at: formatTimestamp(ban.expiresAt),
      }));
    }),

    // Threadline bans customers (`ban_customer`), never addresses: an IP has no ban to lift.
    unban_customer: handle<'unban_customer'>(async ({ customer_id, ip }, caller) => {
      requireManager(caller);
      const lifted = customer_id
        ? await unbanCustomer(db, caller.organizationId, customer_id)
        : false;
      if (!lifted) {
        throw new ProtocolError('not_found', `No ban in force for ${customer_id ?? `IP ${ip}`}`);
      }
      return {};
    }),

    get_license_id: lookup<'get_license_id'>(async ({ organization_id }) => {
      const organization = await findOrganization(db, organization_id);
      if (!organization) throw new ProtocolError('not_found', 'Organization not found');
      return { license_id: organization.licenseId };
    }),

    get_organization_id: lookup<'get_organization_id'>(async ({ license_id }) => {
      const organization = await findOrganizationByLicenseId(db, license_id);
      if (!organization) throw new ProtocolError('not_found', 'License not found');
      return { organization_id: organization.id };
    }),
  };
}

/** The two id lookups need no token (LiveChat serves them to anyone, as GETs). */
function lookup<M extends 'get_license_id' | 'get_organization_id'>(
  answer: (payload: MethodPayload<M>) => Promise<unknown>,
): LocalMethod {
  return ({ payload }) => answer(payload as MethodPayload<M>);
}
