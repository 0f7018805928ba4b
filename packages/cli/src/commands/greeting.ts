import {
  createGreeting,
  deleteGreeting,
  type Greeting,
  greetingDefinitionOf,
  listGreetings,
} from '@threadline/accounts';
import type { Command } from './command.ts';
import {
  type OptionValues,
  optionalInteger,
  optionalString,
  requiredString,
  UsageError,
} from './options.ts';

/**
 * Greeting campaigns from the command line: a message greeting with the common targeting rule
 * (`--url-contains`), or any rules as JSON (`--rules`, the Configuration API's `rules`).
 */
export const greetingCreate: Command = {
  name: 'greeting create',
  usage:
    'greeting create --organization ID --name NAME --text TEXT [--group 0] [--agent ID] [--url-contains TEXT | --rules JSON] [--inactive]',
  options: {
    organization: { type: 'string' },
    name: { type: 'string' },
    text: { type: 'string' },
    group: { type: 'string' },
    agent: { type: 'string' },
    'url-contains': { type: 'string' },
    rules: { type: 'string' },
    inactive: { type: 'boolean' },
  },
  async run(db, values) {
    const agentId = optionalString(values, 'agent');
    const greeting = await createGreeting(db, {
      organizationId: requiredString(values, 'organization'),
      authorId: 'threadline-cli',
      definition: {
        name: requiredString(values, 'name'),
        group_id: optionalInteger(values, 'group') ?? 0,
        active: values.inactive !== true,
        ...(agentId ? { agent_id: agentId } : {}),
        event: { type: 'message', text: requiredString(values, 'text') },
        rules: rulesOf(values),
      },
    });
    return greetingOutput(greeting);
  },
};

export const greetingList: Command = {
  name: 'greeting list',
  usage: 'greeting list --organization ID',
  options: { organization: { type: 'string' } },
  async run(db, values) {
    const greetings = await listGreetings(db, requiredString(values, 'organization'));
    return { greetings: greetings.map(greetingOutput) };
  },
};

export const greetingDelete: Command = {
  name: 'greeting delete',
  usage: 'greeting delete --organization ID --id ID',
  options: { organization: { type: 'string' }, id: { type: 'string' } },
  async run(db, values) {
    const id = optionalInteger(values, 'id');
    if (id === undefined) throw new UsageError('--id is required');
    await deleteGreeting(db, requiredString(values, 'organization'), id);
    return { id, deleted: true };
  },
};

function rulesOf(values: OptionValues): unknown {
  const urlContains = optionalString(values, 'url-contains');
  const rules = optionalString(values, 'rules');
  if (urlContains !== undefined && rules !== undefined) {
    throw new UsageError('give --url-contains or --rules, not both');
  }
  if (urlContains !== undefined) {
    return {
      match: 'all',
      conditions: [{ type: 'url', operator: 'contains', value: urlContains }],
    };
  }
  if (rules === undefined) return { match: 'all', conditions: [] };
  try {
    return JSON.parse(rules);
  } catch {
    throw new UsageError('--rules must be JSON');
  }
}

function greetingOutput(greeting: Greeting): Record<string, unknown> {
  return {
    organization_id: greeting.organizationId,
    id: greeting.id,
    ...greetingDefinitionOf(greeting),
  };
}
