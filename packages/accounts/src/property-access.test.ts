import { describe, expect, it } from 'vitest';
import { builtInPropertyConfigs } from './built-in-properties.ts';
import {
  type ChatPropertyLocation,
  type PropertyWriter,
  propertyWriteProblem,
} from './property-access.ts';
import {
  type PropertyConfig,
  type PropertyNames,
  type PropertyValues,
  propertyKey,
} from './property-values.ts';
import { aPropertyConfig } from './test-property-config.ts';

const aConfig = (overrides: Partial<PropertyConfig> = {}) =>
  aPropertyConfig({
    ownerClientId: 'app',
    name: 'stage',
    type: 'string',
    access: { chat: { agent: ['read', 'write'], customer: ['read'] }, thread: { agent: ['read'] } },
    domain: ['new', 'won'],
    ...overrides,
  });

const configs = new Map(
  [
    ...builtInPropertyConfigs,
    aConfig(),
    aConfig({ name: 'shared', publicAccess: ['read', 'write'] }),
    aConfig({ name: 'shown', publicAccess: ['read'] }),
  ].map((config) => [propertyKey(config.ownerClientId, config.name), config]),
);

const ownAgent: PropertyWriter = { kind: 'agent', clientId: 'app' };
const otherAgent: PropertyWriter = { kind: 'agent', clientId: 'other' };
const patAgent: PropertyWriter = { kind: 'agent', clientId: undefined };
const customer: PropertyWriter = { kind: 'customer', clientId: 'app' };

const set = (writer: PropertyWriter, location: ChatPropertyLocation, values: PropertyValues) =>
  propertyWriteProblem(configs, writer, { location, values });
const remove = (writer: PropertyWriter, location: ChatPropertyLocation, names: PropertyNames) =>
  propertyWriteProblem(configs, writer, { location, names });

describe('propertyWriteProblem', () => {
  it('lets anyone write and delete the test namespace in chats, threads and events', () => {
    for (const writer of [ownAgent, patAgent, customer]) {
      for (const location of ['chat', 'thread', 'event'] as const) {
        const values = { test: { string_property: 'x', int_property: 2, bool_property: true } };
        expect(set(writer, location, values)).toBeUndefined();
        expect(remove(writer, location, { test: ['int_property'] })).toBeUndefined();
      }
    }
  });

  it('lets the owning client write its private property where its kind has write access', () => {
    expect(set(ownAgent, 'chat', { app: { stage: 'won' } })).toBeUndefined();
    expect(remove(ownAgent, 'chat', { app: ['stage'] })).toBeUndefined();
  });

  it('refuses another client, and a personal access token, a private property', () => {
    for (const writer of [otherAgent, patAgent]) {
      expect(set(writer, 'chat', { app: { stage: 'new' } })).toEqual({
        type: 'authorization',
        message: expect.stringMatching(/app\.stage is private/),
      });
      expect(remove(writer, 'chat', { app: ['stage'] })).toMatchObject({ type: 'authorization' });
    }
  });

  it('lets other clients write a property published with write access, not one published read-only', () => {
    expect(set(otherAgent, 'chat', { app: { shared: 'won' } })).toBeUndefined();
    expect(set(otherAgent, 'chat', { app: { shown: 'won' } })).toMatchObject({
      type: 'authorization',
    });
  });

  it('refuses a kind of user, or a location, without write access', () => {
    expect(set(customer, 'chat', { app: { stage: 'won' } })).toEqual({
      type: 'authorization',
      message: expect.stringMatching(/customers may not write property app\.stage of a chat/),
    });
    expect(remove(ownAgent, 'thread', { app: ['stage'] })).toMatchObject({
      type: 'authorization',
    });
  });

  it('refuses unknown properties, missing locations and values that do not fit as validation', () => {
    expect(set(ownAgent, 'chat', { app: { nope: 1 } })).toEqual({
      type: 'validation',
      message: 'property app.nope is not registered',
    });
    expect(set(ownAgent, 'event', { app: { stage: 'won' } })).toEqual({
      type: 'validation',
      message: 'property app.stage has no event location',
    });
    expect(set(ownAgent, 'chat', { app: { stage: 'lost' } })).toEqual({
      type: 'validation',
      message: 'app.stage is not in the property domain',
    });
    expect(remove(ownAgent, 'chat', { other: ['stage'] })).toMatchObject({ type: 'validation' });
    // A value that does not fit is refused even to a writer who could not write it anyway.
    expect(set(customer, 'chat', { app: { stage: 3 } })).toMatchObject({ type: 'validation' });
  });

  it("keeps LiveChat's default properties to their documented access", () => {
    const rating = { rating: { score: 1, comment: 'Quick!' } };
    expect(set(customer, 'thread', rating)).toBeUndefined();
    expect(set(ownAgent, 'thread', rating)).toMatchObject({ type: 'authorization' });
    expect(set(customer, 'thread', { rating: { score: 5 } })).toMatchObject({
      type: 'validation',
    });
    expect(set(customer, 'chat', { routing: { continuous: true } })).toMatchObject({
      type: 'authorization',
    });
    expect(set(customer, 'thread', { routing: { ignore_bots: true } })).toBeUndefined();
    expect(set(ownAgent, 'event', { translation: { target_message: 'Witaj' } })).toBeUndefined();
    expect(set(customer, 'event', { translation: { target_message: 'Witaj' } })).toMatchObject({
      type: 'authorization',
    });
  });
});
