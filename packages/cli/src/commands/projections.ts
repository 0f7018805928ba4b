import type { Command } from './command.ts';
import { type OptionValues, optionalString } from './options.ts';

/**
 * chat-store's projections for operators: a rebuild into a new table set that is switched in
 * when identical to the live one, and the canonical dump it compares (counts and digest, or
 * every line with --rows). Both run chat-store's own tool (`Services.projections`).
 */
export const projectionsRebuild: Command = {
  name: 'projections rebuild',
  usage: 'projections rebuild [--drop-old]',
  options: { 'drop-old': { type: 'boolean' } },
  run: (_db, values, services) => services.projections(['rebuild', ...flag(values, 'drop-old')]),
};

export const projectionsDump: Command = {
  name: 'projections dump',
  usage: 'projections dump [--organization ID] [--rows]',
  options: { organization: { type: 'string' }, rows: { type: 'boolean' } },
  run(_db, values, services) {
    const organization = optionalString(values, 'organization');
    const scope = organization ? ['--organization', organization] : [];
    return services.projections(['dump', ...scope, ...flag(values, 'rows')]);
  },
};

function flag(values: OptionValues, name: string): string[] {
  return values[name] === true ? [`--${name}`] : [];
}
