/**
 * An organization's (or a group's) routing settings, as the Configuration API sets them and the
 * gateway publishes them (`routing_settings_updated`, see docs/internal-contracts.md).
 *
 * The organization's settings apply to every group; a group's settings override them field by
 * field where the group sets them. The gateway sends a group's effective settings in full, so in
 * practice a group that was ever configured overrides everything, but keeping the stored group
 * settings partial means a later, sparser payload still merges the way the contract says.
 */
export interface RoutingSettings {
  /** No automatic assignment: chats wait in the queue until an agent picks them up (spec §7.6). */
  manualRouting: boolean;
  /** A returning customer goes to the agent who served them last, when that agent can take it. */
  preferRecentAgent: boolean;
  queue: { enabled: boolean; limit: number };
  /** Idle minutes before `routing.idle`, then `routing.archived_inactive`. */
  chatInactiveAfterMin: number;
  /** Minutes an assigned chat may stay unanswered before it is reassigned; null = never. */
  transferChatAfterMin: number | null;
  /** Minutes without a customer's message before the chat is closed; null = never. */
  customerTimeoutMin: number | null;
  /** Concurrency limit of an agent without their own `max_chats_count`. */
  defaultMaxChatsCount: number;
}

/** Fields a group may set; those it leaves out come from the organization. */
export type GroupRoutingSettings = Partial<RoutingSettings>;

/** The settings of an organization that never set any (LiveChat's defaults). */
export const defaultRoutingSettings: RoutingSettings = Object.freeze({
  manualRouting: false,
  preferRecentAgent: false,
  queue: Object.freeze({ enabled: true, limit: 100 }),
  chatInactiveAfterMin: 30,
  transferChatAfterMin: null,
  customerTimeoutMin: null,
  defaultMaxChatsCount: 6,
});

/** No agent ever carries more chats than this, whatever their settings (spec §7.3). */
export const maxChatsCountCap = 99;

/** The settings that apply in a group: the group's own fields over the organization's. */
export function effectiveRoutingSettings(
  organization: RoutingSettings | undefined,
  group: GroupRoutingSettings | undefined,
): RoutingSettings {
  const base = organization ?? defaultRoutingSettings;
  if (!group) return base;
  const merged: RoutingSettings = { ...base, queue: { ...base.queue, ...group.queue } };
  for (const key of Object.keys(group) as (keyof RoutingSettings)[]) {
    if (key === 'queue' || group[key] === undefined) continue;
    Object.assign(merged, { [key]: group[key] });
  }
  return merged;
}

/**
 * An agent's concurrency limit: their own `max_chats_count` when they have one, else the
 * organization's default; never above the hard cap.
 */
export function concurrencyLimit(
  agentMaxChatsCount: number | undefined,
  settings: RoutingSettings,
): number {
  const limit = agentMaxChatsCount ?? settings.defaultMaxChatsCount;
  return Math.min(maxChatsCountCap, Math.max(0, Math.floor(limit)));
}
