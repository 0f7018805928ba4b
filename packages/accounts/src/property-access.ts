import {
  firstProblem,
  namesOf,
  namesProblem,
  type PropertyConfig,
  type PropertyNames,
  type PropertyValues,
  propertyKey,
  valuesProblem,
} from './property-values.ts';

/** Where chat users keep property values (license and group ones are configuration). */
export type ChatPropertyLocation = 'chat' | 'thread' | 'event';

/** Who writes: the kind of user (bots count as agents) and the OAuth client of the token. */
export interface PropertyWriter {
  kind: 'agent' | 'customer';
  /** Undefined for a personal access token, which belongs to no client. */
  clientId: string | undefined;
}

/** One change of chat, thread or event properties: values to set or names to delete. */
export type PropertyWrite =
  | { location: ChatPropertyLocation; values: PropertyValues }
  | { location: ChatPropertyLocation; names: PropertyNames };

export interface PropertyWriteProblem {
  type: 'validation' | 'authorization';
  message: string;
}

/**
 * Whether a chat user may make this change (LiveChat's property rules): every property must be
 * known (registered by a client of the organization, or built in) and kept at the location, and
 * a value must fit its type and domain or range — else `validation`, as for license properties.
 * Then the writer's kind must have `write` access there, and the namespace must be the token's
 * own client or the property published with public `write` — else `authorization`. Deleting a
 * value is writing it.
 */
export function propertyWriteProblem(
  configs: ReadonlyMap<string, PropertyConfig>,
  writer: PropertyWriter,
  write: PropertyWrite,
): PropertyWriteProblem | undefined {
  const names = 'values' in write ? namesOf(write.values) : write.names;
  const invalid =
    'values' in write
      ? valuesProblem(configs, write.location, write.values)
      : namesProblem(configs, write.location, names);
  if (invalid) return { type: 'validation', message: invalid };
  const denied = firstProblem(names, (namespace, name) =>
    writeDenied(
      configs.get(propertyKey(namespace, name)) as PropertyConfig,
      writer,
      write.location,
    ),
  );
  return denied === undefined ? undefined : { type: 'authorization', message: denied };
}

function writeDenied(
  config: PropertyConfig,
  writer: PropertyWriter,
  location: ChatPropertyLocation,
): string | undefined {
  const property = `${config.ownerClientId}.${config.name}`;
  if (!config.access[location]?.[writer.kind]?.includes('write')) {
    return `${writer.kind}s may not write property ${property} of a ${location}`;
  }
  const owned = writer.clientId !== undefined && writer.clientId === config.ownerClientId;
  if (!owned && !config.publicAccess?.includes('write')) {
    return `property ${property} is private to its client`;
  }
  return undefined;
}
