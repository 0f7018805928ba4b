import { describe, expect, it } from 'vitest';
import {
  concurrencyLimit,
  defaultRoutingSettings,
  effectiveRoutingSettings,
  maxChatsCountCap,
  type RoutingSettings,
} from './routing-settings.ts';

const organization: RoutingSettings = {
  manualRouting: true,
  preferRecentAgent: true,
  queue: { enabled: false, limit: 20 },
  chatInactiveAfterMin: 45,
  transferChatAfterMin: 3,
  customerTimeoutMin: 10,
  defaultMaxChatsCount: 4,
};

describe('effectiveRoutingSettings', () => {
  it("is LiveChat's defaults when nothing was ever set", () => {
    expect(effectiveRoutingSettings(undefined, undefined)).toEqual({
      manualRouting: false,
      preferRecentAgent: false,
      queue: { enabled: true, limit: 100 },
      chatInactiveAfterMin: 30,
      transferChatAfterMin: null,
      customerTimeoutMin: null,
      defaultMaxChatsCount: 6,
    });
  });

  it("is the organization's settings for a group that set nothing", () => {
    expect(effectiveRoutingSettings(organization, undefined)).toEqual(organization);
    expect(effectiveRoutingSettings(organization, {})).toEqual(organization);
  });

  it("overrides the organization's fields only where the group sets them", () => {
    const merged = effectiveRoutingSettings(organization, {
      manualRouting: false,
      queue: { enabled: true, limit: 20 },
      transferChatAfterMin: null,
    });
    expect(merged).toEqual({
      ...organization,
      manualRouting: false,
      queue: { enabled: true, limit: 20 },
      transferChatAfterMin: null,
    });
  });

  it('merges a group over the defaults when the organization set nothing', () => {
    expect(effectiveRoutingSettings(undefined, { defaultMaxChatsCount: 2 })).toEqual({
      ...defaultRoutingSettings,
      defaultMaxChatsCount: 2,
    });
  });

  it('never changes the settings it merges', () => {
    const before = structuredClone(organization);
    effectiveRoutingSettings(organization, { queue: { enabled: true, limit: 1 } });
    expect(organization).toEqual(before);
  });
});

describe('concurrencyLimit', () => {
  it("is the agent's own max_chats_count when they have one", () => {
    expect(concurrencyLimit(3, organization)).toBe(3);
  });

  it("is the organization's default otherwise", () => {
    expect(concurrencyLimit(undefined, organization)).toBe(4);
    expect(concurrencyLimit(undefined, defaultRoutingSettings)).toBe(6);
  });

  it('never exceeds the hard cap of 99', () => {
    expect(maxChatsCountCap).toBe(99);
    expect(concurrencyLimit(500, organization)).toBe(99);
    expect(concurrencyLimit(undefined, { ...organization, defaultMaxChatsCount: 120 })).toBe(99);
  });
});
