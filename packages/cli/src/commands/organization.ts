import { createOrganization, listGroups } from '@threadline/accounts';
import type { Command } from './command.ts';
import { requiredString } from './options.ts';

export const organizationCreate: Command = {
  name: 'organization create',
  usage: 'organization create --name NAME',
  options: { name: { type: 'string' } },
  async run(db, values) {
    const organization = await createOrganization(db, { name: requiredString(values, 'name') });
    return {
      id: organization.id,
      name: organization.name,
      license_id: String(organization.licenseId),
      created_at: organization.createdAt.toISOString(),
      groups: (await listGroups(db, organization.id)).map(({ id, name }) => ({ id, name })),
    };
  },
};
