import { describe, expect, it } from 'vitest';
import {
  changeRoutingProperties,
  concurrencyLimit,
  defaultRoutingSettings,
  effectiveRoutingSettings,
  maxChatsCountCap,
  type RoutingPropertyValues,
  routingPropertyValues,
} from './routing-settings.ts';

const organization: RoutingPropertyValues = {
  manual_routing: true,
  prefer_recent_agent: true,
  'queue.enabled': false,
  'queue.limit': 20,
  chat_inactive_after_min: 45,
  transfer_chat_after_min: 3,
  customer_timeout_after_min: 10,
  max_agent_active_chats: 4,
};
const organizationSettings = {
  manualRouting: true,
  preferRecentAgent: true,
  queue: { enabled: false, limit: 20 },
  chatInactiveAfterMin: 45,
  transferChatAfterMin: 3,
  customerTimeoutMin: 10,
  defaultMaxChatsCount: 4,
};

describe('effectiveRoutingSettings', () => {
  it('is the defaults when nothing was ever set: 30 idle minutes, queue of 100, 6 chats', () => {
    expect(effectiveRoutingSettings(undefined, undefined)).toEqual({
      manualRouting: false,
      preferRecentAgent: false,
      queue: { enabled: true, limit: 100 },
      chatInactiveAfterMin: 30,
      transferChatAfterMin: 0,
      customerTimeoutMin: 0,
      defaultMaxChatsCount: 6,
    });
    expect(defaultRoutingSettings).toEqual(effectiveRoutingSettings({}));
  });

  it("reads the organization's chats properties, and a group's over them property by property", () => {
    expect(effectiveRoutingSettings(organization)).toEqual(organizationSettings);
    expect(effectiveRoutingSettings(organization, {})).toEqual(organizationSettings);
    const merged = effectiveRoutingSettings(organization, {
      manual_routing: false,
      'queue.enabled': true,
      transfer_chat_after_min: 0,
    });
    expect(merged).toEqual({
      ...organizationSettings,
      manualRouting: false,
      queue: { enabled: true, limit: 20 },
      transferChatAfterMin: 0,
    });
    expect(effectiveRoutingSettings(undefined, { max_agent_active_chats: 2 })).toEqual({
      ...defaultRoutingSettings,
      defaultMaxChatsCount: 2,
    });
  });
});

describe('routing property values', () => {
  it('keeps known chats properties of the right type only', () => {
    expect(
      routingPropertyValues({
        chat_inactive_after_min: 10,
        manual_routing: 'yes',
        'queue.enabled': false,
        formatting: true,
      }),
    ).toEqual({ chat_inactive_after_min: 10, 'queue.enabled': false });
  });

  it('sets over what was set, and unset names fall back to the defaults', () => {
    const next = changeRoutingProperties(organization, { 'queue.limit': 5 }, ['manual_routing']);
    expect(next['queue.limit']).toBe(5);
    expect(effectiveRoutingSettings(next).manualRouting).toBe(false);
    expect(organization['queue.limit']).toBe(20);
  });
});

describe('concurrencyLimit', () => {
  const settings = effectiveRoutingSettings(organization);

  it("is the agent's own max_chats_count when they have one, else the organization's default", () => {
    expect(concurrencyLimit(3, settings)).toBe(3);
    expect(concurrencyLimit(undefined, settings)).toBe(4);
    expect(concurrencyLimit(undefined, defaultRoutingSettings)).toBe(6);
  });

  it('never exceeds the hard cap of 99', () => {
    expect(maxChatsCountCap).toBe(99);
    expect(concurrencyLimit(500, settings)).toBe(99);
    expect(concurrencyLimit(undefined, { ...settings, defaultMaxChatsCount: 120 })).toBe(99);
  });
});
