import { type ClientKind, createClient } from '@threadline/accounts';
import type { Command } from './command.ts';
import { optionalString, requiredString } from './options.ts';

export const clientCreate: Command = {
  name: 'client create',
  usage: 'client create --organization ID --name N [--kind customer_widget|server]',
  options: {
    organization: { type: 'string' },
    name: { type: 'string' },
    kind: { type: 'string' },
  },
  async run(db, values) {
    const client = await createClient(db, {
      organizationId: requiredString(values, 'organization'),
      name: requiredString(values, 'name'),
      kind: (optionalString(values, 'kind') ?? 'customer_widget') as ClientKind,
    });
    return {
      organization_id: client.organizationId,
      client_id: client.id,
      name: client.name,
      kind: client.kind,
    };
  },
};
