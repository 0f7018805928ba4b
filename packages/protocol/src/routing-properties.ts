/**
 * LiveChat keeps an organization's routing settings as default properties of namespace `chats`,
 * at the license location and, overriding it, the group location (platform docs, "Default
 * properties"). The Configuration API sets them with `update_license_properties` /
 * `update_group_properties` (`{"chats": {"chat_inactive_after_min": 10}}`) and resets them with
 * the `delete_*` methods. Defaults are LiveChat's (30 idle minutes) and the product's (6 chats
 * per agent, 99 at most).
 */
export const routingPropertiesNamespace = 'chats';

export interface RoutingPropertyDefinition {
  type: 'int' | 'bool';
  defaultValue: number | boolean;
  range?: { from: number; to: number };
  description: string;
}

const minutes = { from: 0, to: 100_000 };

export const routingProperties = {
  chat_inactive_after_min: {
    type: 'int',
    defaultValue: 30,
    range: minutes,
    description: 'Minutes without a message after which the thread closes (0: never)',
  },
  transfer_chat_after_min: {
    type: 'int',
    defaultValue: 0,
    range: minutes,
    description:
      'Minutes an agent may leave a customer unanswered before the chat goes to another agent (0: never)',
  },
  customer_timeout_after_min: {
    type: 'int',
    defaultValue: 0,
    range: minutes,
    description:
      'Minutes without a message from the customer after which the thread closes (0: never)',
  },
  manual_routing: {
    type: 'bool',
    defaultValue: false,
    description: 'Chats wait in the queue for agents to pick them up instead of being assigned',
  },
  prefer_recent_agent: {
    type: 'bool',
    defaultValue: false,
    description:
      'A returning customer goes to the agent who served them last, when that agent can take the chat',
  },
  max_agent_active_chats: {
    type: 'int',
    defaultValue: 6,
    range: { from: 1, to: 99 },
    description: 'Concurrent chats of an agent without a max_chats_count of their own',
  },
  'queue.enabled': {
    type: 'bool',
    defaultValue: true,
    description:
      'Chats nobody can take now wait in the queue (else they close with routing.archived_offline)',
  },
  'queue.limit': {
    type: 'int',
    defaultValue: 100,
    range: { from: 0, to: 100_000 },
    description: 'Chats that may wait in the queue at once',
  },
} as const satisfies Record<string, RoutingPropertyDefinition>;

export type RoutingPropertyName = keyof typeof routingProperties;
