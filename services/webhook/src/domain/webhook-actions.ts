/**
 * The webhook actions and which filters each accepts (Configuration API 3.6, "Triggering
 * actions"). This table drives registration checks, `list_webhook_names` and matching.
 */
export type FilterName =
  | 'chat_presence'
  | 'author_type'
  | 'only_my_chats'
  | 'source_type'
  | 'agent_ids';

export type AdditionalDataName = 'chat_properties' | 'chat_presence_user_ids';

export interface WebhookAction {
  action: string;
  filters: readonly FilterName[];
  /** Empty when the action carries no additional data (LiveChat: `agent_deleted`). */
  additionalData: readonly AdditionalDataName[];
}

const chat = ['chat_presence', 'only_my_chats', 'source_type'] as const;
const chatEvent = ['chat_presence', 'author_type', 'only_my_chats', 'source_type'] as const;
const configuration = ['source_type'] as const;
const both = ['chat_properties', 'chat_presence_user_ids'] as const;

function entry(
  action: string,
  filters: readonly FilterName[],
  additionalData: readonly AdditionalDataName[] = both,
): WebhookAction {
  return { action, filters, additionalData };
}

const stable: readonly WebhookAction[] = [
  entry('incoming_chat', chat),
  entry('chat_deactivated', chat),
  entry('chat_access_updated', chat),
  entry('chat_transferred', chat),
  entry('user_added_to_chat', chat),
  entry('user_removed_from_chat', chat),
  entry('incoming_event', chatEvent),
  entry('event_deleted', chat),
  entry('event_updated', chatEvent),
  entry('incoming_rich_message_postback', chat),
  entry('chat_properties_updated', chat),
  entry('chat_properties_deleted', chat),
  entry('thread_properties_updated', chat),
  entry('thread_properties_deleted', chat),
  entry('event_properties_updated', chat),
  entry('event_properties_deleted', chat),
  entry('thread_tagged', chat),
  entry('thread_untagged', chat),
  entry('routing_status_set', ['agent_ids', 'source_type']),
  entry('customer_session_fields_updated', ['chat_presence', 'source_type']),
  entry('events_marked_as_seen', chat),
  entry('group_created', configuration),
  entry('group_updated', configuration),
  entry('group_deleted', configuration),
  entry('agent_created', configuration),
  entry('agent_updated', configuration),
  entry('agent_deleted', configuration, []),
  entry('agent_suspended', configuration),
  entry('agent_unsuspended', configuration),
  entry('agent_approved', configuration),
  entry('bot_created', configuration),
  entry('bot_updated', configuration),
  entry('bot_deleted', configuration),
  entry('auto_accesses_updated', configuration),
  entry('tag_created', configuration),
  entry('tag_deleted', configuration),
  entry('tag_updated', configuration),
  entry('thread_summary_set', chat),
];

/** 3.5 lacks `event_deleted` and `thread_summary_set`, and has `incoming_customer`. */
const v35: readonly WebhookAction[] = [
  ...stable.filter(
    (action) => action.action !== 'event_deleted' && action.action !== 'thread_summary_set',
  ),
  entry('incoming_customer', configuration),
];

/**
 * 3.4 (LiveChat's webhooks 3.4): no tag webhooks yet, and one `auto_access_added`,
 * `auto_access_updated` or `auto_access_deleted` per rule where 3.5 sends one
 * `auto_accesses_updated` listing them. The same as 3.4's agent pushes, which these are.
 */
const v34: readonly WebhookAction[] = v35.flatMap((action) => {
  if (action.action.startsWith('tag_')) return [];
  if (action.action !== 'auto_accesses_updated') return [action];
  return ['auto_access_added', 'auto_access_updated', 'auto_access_deleted'].map((name) =>
    entry(name, action.filters, action.additionalData),
  );
});

/** The actions a client of API `version` may register; 3.6 and 3.7 share one list. */
export function webhookActions(version: string): readonly WebhookAction[] {
  const number = Number.parseFloat(version);
  if (number < 3.5) return v34;
  return number < 3.6 ? v35 : stable;
}

/** Any version's action of that name: what the event stream may announce as a webhook. */
export function findWebhookAction(action: string): WebhookAction | undefined {
  return [stable, v35, v34]
    .map((actions) => actions.find((entry) => entry.action === action))
    .find((found) => found !== undefined);
}
