import { describe, expect, it } from 'vitest';
import { testPropertyConfigs } from './built-in-properties.ts';
import {
  propertyKey,
  registrationProblem,
  valueProblem,
  valuesProblem,
  withDefaults,
} from './property-values.ts';
import { aPropertyConfig } from './test-property-config.ts';

const licenseAccess = { license: { agent: ['read', 'write'] as ('read' | 'write')[] } };

describe('valueProblem', () => {
  it('accepts values of the property type and refuses others', () => {
    expect(valueProblem({ type: 'int', domain: undefined, range: undefined }, 42)).toBeUndefined();
    expect(valueProblem({ type: 'int', domain: undefined, range: undefined }, 4.2)).toMatch(
      /integer/,
    );
    expect(valueProblem({ type: 'int', domain: undefined, range: undefined }, 2 ** 31)).toMatch(
      /integer/,
    );
    expect(valueProblem({ type: 'bool', domain: undefined, range: undefined }, 'true')).toMatch(
      /boolean/,
    );
    expect(
      valueProblem({ type: 'tokenized_string', domain: undefined, range: undefined }, 'a b'),
    ).toBeUndefined();
    expect(valueProblem({ type: 'string', domain: undefined, range: undefined }, 1)).toMatch(
      /string/,
    );
  });

  it('keeps values inside the domain or the range', () => {
    expect(valueProblem({ type: 'string', domain: ['a', 'b'], range: undefined }, 'c')).toMatch(
      /domain/,
    );
    expect(
      valueProblem({ type: 'string', domain: ['a', 'b'], range: undefined }, 'b'),
    ).toBeUndefined();
    const range = { from: 1, to: 3 };
    expect(valueProblem({ type: 'int', domain: undefined, range }, 0)).toMatch(/at least 1/);
    expect(valueProblem({ type: 'int', domain: undefined, range }, 4)).toMatch(/at most 3/);
    expect(valueProblem({ type: 'int', domain: undefined, range }, 3)).toBeUndefined();
  });
});

describe('registrationProblem', () => {
  const base = { name: 'score', type: 'int' as const, access: licenseAccess };

  it('accepts a plain registration', () => {
    expect(registrationProblem(base)).toBeUndefined();
  });

  it('refuses a domain with a range, a range on strings, and a reversed range', () => {
    expect(registrationProblem({ ...base, domain: [1], range: { from: 1 } })).toMatch(/not both/);
    expect(registrationProblem({ ...base, type: 'string', range: { from: 1 } })).toMatch(/int/);
    expect(registrationProblem({ ...base, range: { from: 3, to: 1 } })).toMatch(/above/);
  });

  it('refuses domain values of another type', () => {
    expect(registrationProblem({ ...base, domain: [1, 'two'] })).toMatch(/"two"/);
  });

  it('allows a default value only for license or group properties, and only a valid one', () => {
    const chatOnly = { chat: { agent: ['read'] as ('read' | 'write')[] } };
    expect(registrationProblem({ ...base, access: chatOnly, default_value: 1 })).toMatch(
      /license or group/,
    );
    expect(registrationProblem({ ...base, range: { to: 5 }, default_value: 9 })).toMatch(
      /at most 5/,
    );
    expect(registrationProblem({ ...base, default_value: 2 })).toBeUndefined();
  });
});

describe('valuesProblem', () => {
  const configs = new Map(
    [
      aPropertyConfig(),
      aPropertyConfig({ name: 'chat_only', access: { chat: { agent: ['write'] } } }),
      ...testPropertyConfigs,
    ].map((config) => [propertyKey(config.ownerClientId, config.name), config]),
  );

  it('accepts registered properties of the location and the built-in test namespace', () => {
    expect(
      valuesProblem(configs, 'license', { client: { score: 3 }, test: { bool_property: true } }),
    ).toBeUndefined();
  });

  it('names the first unknown property, wrong location or bad value', () => {
    expect(valuesProblem(configs, 'license', { client: { nope: 1 } })).toMatch(
      /client\.nope is not registered/,
    );
    expect(valuesProblem(configs, 'group', { client: { chat_only: 1 } })).toMatch(
      /no group location/,
    );
    expect(valuesProblem(configs, 'license', { client: { score: 'x' } })).toMatch(
      /client\.score must be/,
    );
  });
});

describe('withDefaults', () => {
  const configs = [
    aPropertyConfig({ name: 'score', defaultValue: 5 }),
    aPropertyConfig({ name: 'level', defaultValue: 1 }),
    aPropertyConfig({
      name: 'group_only',
      access: { group: { agent: ['read'] } },
      defaultValue: 7,
    }),
  ];

  it('shows stored values over defaults of the location', () => {
    expect(withDefaults(configs, 'license', { client: { score: 9 }, other: { x: 'y' } })).toEqual({
      client: { score: 9, level: 1 },
      other: { x: 'y' },
    });
  });

  it('narrows to a namespace, an exact name or a name prefix', () => {
    const stored = { client: { score: 9 }, other: { scope: 'y' } };
    expect(withDefaults(configs, 'license', stored, { namespace: 'other' })).toEqual({
      other: { scope: 'y' },
    });
    expect(withDefaults(configs, 'license', stored, { name: 'level' })).toEqual({
      client: { level: 1 },
    });
    expect(withDefaults(configs, 'license', stored, { namePrefix: 'sc' })).toEqual({
      client: { score: 9 },
      other: { scope: 'y' },
    });
  });
});
