import {
  type AccountsDatabase,
  createOrganization,
  findCompanyDetails,
  findOrganization,
  listGroups,
  type Organization,
} from '@threadline/accounts';
import type { Kysely } from '@threadline/postgres';
import type { Command } from './command.ts';
import { requiredString, UsageError } from './options.ts';

export const organizationCreate: Command = {
  name: 'organization create',
  usage: 'organization create --name NAME',
  options: { name: { type: 'string' } },
  async run(db, values) {
    const organization = await createOrganization(db, { name: requiredString(values, 'name') });
    return organizationJson(db, organization);
  },
};

/** The organization, with the company details given through `update_company_details`. */
export const organizationShow: Command = {
  name: 'organization show',
  usage: 'organization show --organization ID',
  options: { organization: { type: 'string' } },
  async run(db, values) {
    const id = requiredString(values, 'organization');
    const organization = await findOrganization(db, id);
    if (!organization) throw new UsageError(`Organization ${id} does not exist`);
    return {
      ...(await organizationJson(db, organization)),
      company_details: (await findCompanyDetails(db, id)) ?? {},
    };
  },
};

async function organizationJson(db: Kysely<AccountsDatabase>, organization: Organization) {
  return {
    id: organization.id,
    name: organization.name,
    license_id: String(organization.licenseId),
    created_at: organization.createdAt.toISOString(),
    groups: (await listGroups(db, organization.id)).map(({ id, name }) => ({ id, name })),
  };
}
