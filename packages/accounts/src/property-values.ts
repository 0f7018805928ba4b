import {
  type MethodPayload,
  routingProperties,
  routingPropertiesNamespace,
} from '@threadline/protocol';

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

const everywhere: PropertyAccess = Object.fromEntries(
  propertyLocations.map((location) => [
    location,
    { agent: ['read', 'write'], customer: ['read', 'write'] },
  ]),
);

/** LiveChat gives every license these, readable and writable by everyone everywhere. */
export const testPropertyConfigs: readonly PropertyConfig[] = (
  [
    ['bool_property', 'bool'],
    ['int_property', 'int'],
    ['string_property', 'string'],
    ['tokenized_string_property', 'tokenized_string'],
  ] as const
).map(([name, type]) => ({
  ownerClientId: 'test',
  name,
  type,
  description: '',
  access: everywhere,
  domain: undefined,
  range: undefined,
  defaultValue: undefined,
  publicAccess: ['read', 'write'],
}));

/**
 * LiveChat's routing settings, properties of namespace `chats` at the license and group
 * locations: agents read them, managers (checked by the Configuration API) write them.
 */
export const routingPropertyConfigs: readonly PropertyConfig[] = Object.entries(
  routingProperties,
).map(([name, definition]) => ({
  ownerClientId: routingPropertiesNamespace,
  name,
  type: definition.type,
  description: definition.description,
  access: {
    license: { agent: ['read', 'write'] },
    group: { agent: ['read', 'write'] },
  },
  domain: undefined,
  range: 'range' in definition ? definition.range : undefined,
  defaultValue: definition.defaultValue,
  publicAccess: ['read', 'write'],
}));

/** The configurations every organization has without registering anything. */
export const builtInPropertyConfigs: readonly PropertyConfig[] = [
  ...testPropertyConfigs,
  ...routingPropertyConfigs,
];

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
  location: 'license' | 'group',
  values: PropertyValues,
): string | undefined {
  for (const [namespace, properties] of Object.entries(values)) {
    for (const [name, value] of Object.entries(properties)) {
      const config = configs.get(propertyKey(namespace, name));
      if (!config) return `property ${namespace}.${name} is not registered`;
      if (!config.access[location])
        return `property ${namespace}.${name} has no ${location} location`;
      const problem = valueProblem(config, value);
      if (problem) return `${namespace}.${name} ${problem}`;
    }
  }
  return undefined;
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
