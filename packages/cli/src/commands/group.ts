import { createGroup } from '@threadline/accounts';
import type { Command } from './command.ts';
import { optionalString, requiredString } from './options.ts';

export const groupCreate: Command = {
  name: 'group create',
  usage: 'group create --organization ID --name NAME [--language-code en]',
  options: {
    organization: { type: 'string' },
    name: { type: 'string' },
    'language-code': { type: 'string' },
  },
  async run(db, values) {
    const languageCode = optionalString(values, 'language-code');
    const group = await createGroup(db, {
      organizationId: requiredString(values, 'organization'),
      name: requiredString(values, 'name'),
      ...(languageCode ? { languageCode } : {}),
    });
    return {
      organization_id: group.organizationId,
      id: group.id,
      name: group.name,
      language_code: group.languageCode,
    };
  },
};
