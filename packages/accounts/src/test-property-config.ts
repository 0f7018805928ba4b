import type { PropertyConfig } from './property-values.ts';

/** For this package's unit tests: a private int license property of client `client`. */
export function aPropertyConfig(overrides: Partial<PropertyConfig> = {}): PropertyConfig {
  return {
    ownerClientId: 'client',
    name: 'score',
    type: 'int',
    description: '',
    access: { license: { agent: ['read', 'write'] } },
    domain: undefined,
    range: undefined,
    defaultValue: undefined,
    publicAccess: undefined,
    ...overrides,
  };
}
