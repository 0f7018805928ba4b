import { createCustomer, findOrganization } from '@threadline/accounts';
import { formatTimestamp, type MethodPayload, ProtocolError } from '@threadline/protocol';
import type { LocalMethodDependencies, LocalMethods } from './local-method.ts';

/** Self-hosted licenses do not expire (the login's `expiration_timestamp` says the same). */
const neverExpires = new Date(Date.UTC(2100, 0, 1));

/**
 * Agent methods of 3.4/3.5 that 3.6 removed; the version layer refuses them to newer versions.
 * Customers made here are the same accounts customers the token endpoint makes.
 */
export function createLegacyAgentMethods(dependencies: LocalMethodDependencies): LocalMethods {
  const { db } = dependencies;
  return {
    get_license_info: async ({ identity }) => {
      const organization = await findOrganization(db, identity!.organizationId);
      if (!organization) throw new ProtocolError('license_not_found', 'Organization not found');
      return {
        license_id: organization.licenseId,
        expires_at: formatTimestamp(neverExpires),
        created_at: formatTimestamp(organization.createdAt),
        in_trial: false,
      };
    },
    create_customer: async ({ identity, payload }) => {
      const body = payload as MethodPayload<'create_customer'>;
      const customer = await createCustomer(db, {
        organizationId: identity!.organizationId,
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.email !== undefined ? { email: body.email } : {}),
        ...(body.avatar !== undefined ? { avatar: body.avatar } : {}),
        ...(body.session_fields !== undefined ? { sessionFields: body.session_fields } : {}),
      });
      return { customer_id: customer.id };
    },
  };
}
