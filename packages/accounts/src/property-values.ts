import type { MethodPayload } from '@threadline/protocol';

/**
 * The rules of LiveChat's properties that need no database: a property's configuration, and
 * whether a value fits it. Values are stored by `properties.ts` only after passing these.
 */

export const propertyTypes = ['int', 'bool', 'string', 'tokenized_string'] as const;
export const propertyLocations = ['chat', 'thread', 'event', 'license', 'group'] as const;

export type PropertyType = (typeof propertyTypes)[number];
export type PropertyLocation = (typeof propertyLocations)[number];
export type PropertyAccessType = 'read' | 'write';

/** Per location, what agents and customers may do: `{chat:{agent:["read"],customer:["read","write"]}}`. */
export type PropertyAccess = Partial<
  Record<PropertyLocation, Partial<Record<'agent' | 'customer', PropertyAccessType[]>>>
>;

export interface PropertyConfig {
  /** The namespace: the OAuth client that owns the property (`test` for the built-in ones). */
  ownerClientId: string;
  name: string;
  type: PropertyType;
  description: string;
  access: PropertyAccess;
  domain: unknown[] | undefined;
  range: { from?: number | undefined; to?: number | undefined } | undefined;
  defaultValue: unknown;
  /** Undefined while private; what other clients may do once published. */
  publicAccess: PropertyAccessType[] | undefined;
}

/** `{"<namespace>":{"<name>":value}}`, the protocol's shape of property values. */
export type PropertyValues = Record<string, Record<string, unknown>>;

/** `{"<namespace>":["<name>",…]}`, the protocol's shape of properties to delete. */
export type PropertyNames = Record<string, string[]>;

/** What `register_property` takes (validated at the edge by the protocol's schema). */
export type PropertyRegistration = Omit<MethodPayload<'register_property'>, 'owner_client_id'>;

/** Why a registration cannot be stored, or undefined when it can. */
export function registrationProblem(registration: PropertyRegistration): string | undefined {
  const { type, domain, range, default_value: defaultValue, access } = registration;
  if (!Object.keys(access).length) return 'name at least one location';
  if (domain && range) return 'a property has a domain or a range, not both';
  if (range && type !== 'int') return 'only int properties have a range';
  if (range?.from !== undefined && range.to !== undefined && range.from > range.to) {
    return 'range.from is above range.to';
  }
  const typeOnly = { type, domain: undefined, range: undefined } as const;
  const badDomainValue = domain?.find((value) => valueProblem(typeOnly, value) !== undefined);
  if (badDomainValue !== undefined)
    return `domain value ${JSON.stringify(badDomainValue)} is not ${type}`;
  if (defaultValue !== undefined) {
    if (!access.license && !access.group) {
      return 'default_value is only for license or group properties';
    }
    const problem = valueProblem({ type, domain, range }, defaultValue);
    if (problem) return `default_value ${problem}`;
  }
  return undefined;
}

const int32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
const maxStringLength = 4_096;

/** Why `value` does not fit the property (type, then domain or range), or undefined if it does. */
export function valueProblem(
  config: Pick<PropertyConfig, 'type' | 'domain' | 'range'>,
  value: unknown,
): string | undefined {
  switch (config.type) {
    case 'int':
      if (
        !Number.isInteger(value) ||
        (value as number) < int32.min ||
        (value as number) > int32.max
      ) {
        return 'must be a 32-bit integer';
      }
      break;
    case 'bool':
      if (typeof value !== 'boolean') return 'must be a boolean';
      break;
    case 'string':
    case 'tokenized_string':
      if (typeof value !== 'string') return 'must be a string';
      if (value.length > maxStringLength) return `must be at most ${maxStringLength} characters`;
      break;
    default: {
      const unknownType: never = config.type;
      return `has an unknown type ${String(unknownType)}`;
    }
  }
  if (config.domain && !config.domain.some((allowed) => allowed === value)) {
    return 'is not in the property domain';
  }
  const { from, to } = config.range ?? {};
  if (from !== undefined && (value as number) < from) return `must be at least ${from}`;
  if (to !== undefined && (value as number) > to) return `must be at most ${to}`;
  return undefined;
}

/**
 * Checks a `{namespace:{name:value}}` update for one location against the known configurations,
 * returning the first problem (unknown property, property not kept at that location, bad value).
 */
export function valuesProblem(
  configs: ReadonlyMap<string, PropertyConfig>,
  location: PropertyLocation,
  values: PropertyValues,
): string | undefined {
  const names = namesOf(values);
  return (
    namesProblem(configs, location, names) ??
    firstProblem(names, (namespace, name) => {
      const config = configs.get(propertyKey(namespace, name)) as PropertyConfig;
      const problem = valueProblem(config, values[namespace]?.[name]);
      return problem === undefined ? undefined : `${namespace}.${name} ${problem}`;
    })
  );
}

/**
 * Checks names (`{namespace:[names]}`, e.g. values to delete) for one location: each must be a
 * known property kept there. Returns the first problem.
 */
export function namesProblem(
  configs: ReadonlyMap<string, PropertyConfig>,
  location: PropertyLocation,
  names: PropertyNames,
): string | undefined {
  return firstProblem(names, (namespace, name) => {
    const config = configs.get(propertyKey(namespace, name));
    if (!config) return `property ${namespace}.${name} is not registered`;
    if (!config.access[location])
      return `property ${namespace}.${name} has no ${location} location`;
    return undefined;
  });
}

/** The first problem `check` finds with one of the names, in order. */
export function firstProblem<Problem>(
  names: PropertyNames,
  check: (namespace: string, name: string) => Problem | undefined,
): Problem | undefined {
  for (const [namespace, list] of Object.entries(names)) {
    for (const name of list) {
      const problem = check(namespace, name);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

/** The names an update sets: `{a:{x:1,y:2}}` → `{a:["x","y"]}`. */
export function namesOf(values: PropertyValues): PropertyNames {
  return Object.fromEntries(
    Object.entries(values).map(([namespace, properties]) => [namespace, Object.keys(properties)]),
  );
}

/** How configurations are looked up: `<namespace>.<name>`. */
export function propertyKey(namespace: string, name: string): string {
  return `${namespace}.${name}`;
}

/** What a listing may narrow to: one namespace, one exact name, or names with a prefix. */
export interface PropertyFilters {
  namespace?: string | undefined;
  name?: string | undefined;
  namePrefix?: string | undefined;
  /**
   * Who reads: a customer does not see values of properties whose configuration gives customers
   * no read access at the location (the `chats` routing settings, private client properties).
   */
  reader?: 'agent' | 'customer' | undefined;
}

/**
 * Values as a listing shows them: the stored ones over the defaults of the location's properties,
 * narrowed to one namespace and a name prefix when asked.
 */
export function withDefaults(
  configs: Iterable<PropertyConfig>,
  location: 'license' | 'group',
  stored: PropertyValues,
  filters: PropertyFilters = {},
): PropertyValues {
  const result: PropertyValues = {};
  const put = (namespace: string, name: string, value: unknown) => {
    if (filters.namespace !== undefined && namespace !== filters.namespace) return;
    if (filters.name !== undefined && name !== filters.name) return;
    if (filters.namePrefix !== undefined && !name.startsWith(filters.namePrefix)) return;
    result[namespace] = { ...result[namespace], [name]: value };
  };
  const known = new Map(
    [...configs].map((config) => [propertyKey(config.ownerClientId, config.name), config]),
  );
  const hidden = (namespace: string, name: string) => {
    if (filters.reader !== 'customer') return false;
    const config = known.get(propertyKey(namespace, name));
    return config !== undefined && !config.access[location]?.customer?.includes('read');
  };
  for (const config of known.values()) {
    if (!config.access[location] || config.defaultValue === undefined) continue;
    if (!hidden(config.ownerClientId, config.name)) {
      put(config.ownerClientId, config.name, config.defaultValue);
    }
  }
  for (const [namespace, properties] of Object.entries(stored)) {
    for (const [name, value] of Object.entries(properties)) {
      if (!hidden(namespace, name)) put(namespace, name, value);
    }
  }
  return result;
}
