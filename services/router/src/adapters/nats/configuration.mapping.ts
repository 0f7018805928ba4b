import type { ConfigurationChange } from '@threadline/contracts';
import { routingPropertiesNamespace } from '@threadline/protocol';
import { z } from 'zod';
import type { AgentFields, ConfigurationEvent } from '../../domain/agent-directory.ts';
import type { GroupPriority } from '../../domain/routing.decide.ts';
import { isRoutingProperty, routingPropertyValues } from '../../domain/routing-settings.ts';

/**
 * Reads a configuration change (payloads exactly as the agent pushes, spec §4.3; routing settings
 * are the `chats` license and group properties) into what the router keeps.
 * Actions the router has no use for (tags, auto accesses, webhooks…) read as nothing. A change
 * the router needs whose payload does not parse throws: it is logged and dropped, never retried.
 */
const priority = z.enum(['first', 'normal', 'last', 'supervisor']);
const membership = z.union([
  z.number().int().min(0),
  z.object({ id: z.number().int().min(0), priority: priority.optional() }),
]);
const maxChatsCount = z.number().int().min(0).max(99);

const agentPayload = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  avatar: z.string().optional(),
  avatar_path: z.string().optional(),
  max_chats_count: maxChatsCount.optional(),
  groups: z.array(membership).optional(),
  default_group_priority: priority.optional(),
});
const idPayload = z.object({ id: z.string().min(1) });
const groupPayload = z.object({
  id: z.number().int().min(0),
  agent_priorities: z.record(z.string(), priority).optional(),
});
const groupIdPayload = z.object({ id: z.number().int().min(0) });

/** `{properties: {"<namespace>": {name: value}}}` updated, `{"<namespace>": [names]}` deleted. */
const propertiesUpdated = z.object({
  group_id: z.number().int().min(0).optional(),
  properties: z.record(z.string(), z.record(z.string(), z.unknown())),
});
const propertiesDeleted = z.object({
  group_id: z.number().int().min(0).optional(),
  properties: z.record(z.string(), z.array(z.string())),
});

export function readConfigurationEvent(
  change: ConfigurationChange,
): ConfigurationEvent | undefined {
  const read = readers[change.action];
  return read?.(JSON.parse(change.payloadJson || '{}'));
}

type Reader = (payload: unknown) => ConfigurationEvent | undefined;

const readers: Record<string, Reader> = {
  agent_created: agentConfigured('agent', true),
  agent_updated: agentConfigured('agent', false),
  bot_created: agentConfigured('bot', true),
  bot_updated: agentConfigured('bot', false),
  agent_suspended: agentState('agent_suspended'),
  agent_unsuspended: agentState('agent_unsuspended'),
  agent_deleted: agentState('agent_deleted'),
  bot_deleted: agentState('agent_deleted'),
  group_created: groupMembers,
  group_updated: groupMembers,
  group_deleted: (payload) => ({
    type: 'group_deleted',
    groupId: groupIdPayload.parse(payload).id,
  }),
  license_properties_updated: routingPropertiesSet,
  group_properties_updated: routingPropertiesSet,
  license_properties_deleted: routingPropertiesUnset,
  group_properties_deleted: routingPropertiesUnset,
};

/** Routing settings are the `chats` namespace of license and group properties. */
function routingPropertiesSet(payload: unknown): ConfigurationEvent | undefined {
  const parsed = propertiesUpdated.parse(payload);
  const values = parsed.properties[routingPropertiesNamespace];
  if (!values) return undefined;
  const set = routingPropertyValues(values);
  if (Object.keys(set).length === 0) return undefined;
  return { type: 'routing_settings_changed', groupId: parsed.group_id, set, unset: [] };
}

function routingPropertiesUnset(payload: unknown): ConfigurationEvent | undefined {
  const parsed = propertiesDeleted.parse(payload);
  const unset = (parsed.properties[routingPropertiesNamespace] ?? []).filter(isRoutingProperty);
  if (unset.length === 0) return undefined;
  return { type: 'routing_settings_changed', groupId: parsed.group_id, set: {}, unset };
}

function agentConfigured(userType: 'agent' | 'bot', created: boolean): Reader {
  return (payload) => {
    const parsed = agentPayload.parse(payload);
    const fields: AgentFields = {};
    if (parsed.name !== undefined) fields.name = parsed.name;
    const avatar = parsed.avatar ?? parsed.avatar_path;
    if (avatar !== undefined) fields.avatar = avatar;
    // 0 is "no limit of one's own": the organization's default applies.
    if (parsed.max_chats_count !== undefined) {
      fields.maxChatsCount = parsed.max_chats_count || undefined;
    }
    if (parsed.groups !== undefined) {
      fields.groupPriorities = groupPriorities(
        parsed.groups,
        parsed.default_group_priority ?? 'normal',
      );
    }
    return { type: 'agent_configured', agentId: parsed.id, userType, created, fields };
  };
}

function agentState(type: 'agent_suspended' | 'agent_unsuspended' | 'agent_deleted'): Reader {
  return (payload) => ({ type, agentId: idPayload.parse(payload).id });
}

/** Only a change that names the group's members changes routing; a renamed group reads as none. */
function groupMembers(payload: unknown): ConfigurationEvent | undefined {
  const parsed = groupPayload.parse(payload);
  if (!parsed.agent_priorities) return undefined;
  return { type: 'group_members_set', groupId: parsed.id, priorities: parsed.agent_priorities };
}

function groupPriorities(
  groups: readonly z.infer<typeof membership>[],
  defaultPriority: GroupPriority,
): Record<number, GroupPriority> {
  const result: Record<number, GroupPriority> = {};
  for (const group of groups) {
    const id = typeof group === 'number' ? group : group.id;
    const groupPriority = typeof group === 'number' ? defaultPriority : group.priority;
    result[id] ??= groupPriority ?? defaultPriority;
  }
  return result;
}
