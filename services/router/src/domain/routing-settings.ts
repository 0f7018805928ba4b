import { type RoutingPropertyName, routingProperties } from '@threadline/protocol';

/**
 * An organization's (or a group's) routing settings. LiveChat keeps them as properties of
 * namespace `chats` at the license and group locations (packages/protocol routing-properties.ts);
 * the router stores the values the Configuration API set, as set, and reads them through this:
 * a group's values over the organization's over the defaults, property by property.
 */
export interface RoutingSettings {
  /** No automatic assignment: chats wait in the queue until an agent picks them up (spec §7.6). */
  manualRouting: boolean;
  /** A returning customer goes to the agent who served them last, when that agent can take it. */
  preferRecentAgent: boolean;
  queue: { enabled: boolean; limit: number };
  /** Idle minutes before `routing.idle`, then `routing.archived_inactive`; 0: never. */
  chatInactiveAfterMin: number;
  /** Minutes an assigned chat may stay unanswered before it is reassigned; 0: never. */
  transferChatAfterMin: number;
  /** Minutes without a customer's message before the chat is closed; 0: never. */
  customerTimeoutMin: number;
  /** Concurrency limit of an agent without their own `max_chats_count`. */
  defaultMaxChatsCount: number;
}

/** Values of `chats` properties as set at one location (license or group). */
export type RoutingPropertyValues = Partial<Record<RoutingPropertyName, number | boolean>>;

const defaults = Object.fromEntries(
  Object.entries(routingProperties).map(([name, definition]) => [name, definition.defaultValue]),
) as Record<RoutingPropertyName, number | boolean>;

/** No agent ever carries more chats than this, whatever their settings (spec §7.3). */
export const maxChatsCountCap = 99;

/** The settings that apply in a group: the group's values over the organization's. */
export function effectiveRoutingSettings(
  organization: RoutingPropertyValues | undefined,
  group?: RoutingPropertyValues | undefined,
): RoutingSettings {
  const values = { ...defaults, ...organization, ...group };
  const number = (name: RoutingPropertyName) => Number(values[name]);
  const flag = (name: RoutingPropertyName) => values[name] === true;
  return {
    manualRouting: flag('manual_routing'),
    preferRecentAgent: flag('prefer_recent_agent'),
    queue: { enabled: flag('queue.enabled'), limit: number('queue.limit') },
    chatInactiveAfterMin: number('chat_inactive_after_min'),
    transferChatAfterMin: number('transfer_chat_after_min'),
    customerTimeoutMin: number('customer_timeout_after_min'),
    defaultMaxChatsCount: number('max_agent_active_chats'),
  };
}

/** The settings of an organization that never set any. */
export const defaultRoutingSettings: RoutingSettings = Object.freeze(
  effectiveRoutingSettings(undefined),
);

/**
 * The routing properties among `{name: value}` (a `chats` namespace as the Configuration API
 * wrote it), keeping only known names with values of the property's type.
 */
export function routingPropertyValues(values: Record<string, unknown>): RoutingPropertyValues {
  const known: RoutingPropertyValues = {};
  for (const [name, value] of Object.entries(values)) {
    if (!isRoutingProperty(name)) continue;
    const type = routingProperties[name].type;
    if (
      (type === 'bool' && typeof value === 'boolean') ||
      (type === 'int' && Number.isInteger(value))
    ) {
      known[name] = value as number | boolean;
    }
  }
  return known;
}

export function isRoutingProperty(name: string): name is RoutingPropertyName {
  return Object.hasOwn(routingProperties, name);
}

/** Values after a change: `set` over `current`, then the `unset` names back to their default. */
export function changeRoutingProperties(
  current: RoutingPropertyValues,
  set: RoutingPropertyValues,
  unset: readonly RoutingPropertyName[],
): RoutingPropertyValues {
  const next: RoutingPropertyValues = { ...current, ...set };
  for (const name of unset) delete next[name];
  return next;
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
