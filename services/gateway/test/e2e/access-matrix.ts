import { type Api, type MethodName, scopesGranting } from '@threadline/protocol';

/**
 * The access matrix: every method of the three APIs against the callers that must not reach the
 * first organization's data. One row per method; a method with no row is in `notCovered`
 * (access-matrix.not-covered.ts) with the reason. The runner (access-matrix.e2e.test.ts) calls each row with the real ids and with made-up
 * ids of the same shape and expects the same answer for both.
 */

/** Who calls. */
export type CallerKind =
  /** An owner (agent API, configuration API) or a customer of another organization. */
  | 'otherOrganization'
  /**
   * A customer of another organization naming the first one in the URL (`organization_id`), as a
   * widget embedded on the wrong site would.
   */
  | 'otherOrganizationInUrl'
  /** A customer of the organization who is not the chat's customer. */
  | 'customerOutsideChat'
  /** An agent of the organization whose groups do not overlap the chat's `access.group_ids`. */
  | 'agentOutsideGroups'
  /** The chat's own agent with a bearer token lacking every scope that grants the method. */
  | 'missingScope'
  /** An administrator outside the chat's groups whose token has `chats--access` but no `chats--all`. */
  | 'accessScopeOutsideGroups'
  /** That administrator with `chats--all:ro` (and `chats--access:rw`), on a method that writes. */
  | 'allChatsReadOnly'
  /** A `normal` agent outside the chat's groups whose token names `chats--all:rw`. */
  | 'normalAgentAllChats'
  /** A `normal` agent of the organization on a method that needs a manager. */
  | 'roleBelow';

/**
 * What the caller must get: an error of that type, or (`hides`) an answer that names none of the
 * first organization's ids. Either way the answer for real ids equals the one for made-up ids.
 */
export type Expected = 'not_found' | 'authorization' | 'hides';

/** The first organization's ids a row may target (or their made-up twins). */
export interface Targets {
  chatId: string;
  threadId: string;
  eventId: string;
  customerId: string;
  /** A normal agent of the organization, in the chat's group. */
  agentId: string;
  botId: string;
  botTemplateId: string;
  webhookId: string;
  autoAccessId: string;
  /** A group of the organization (ids are per organization). */
  groupId: number;
  greetingId: number;
  /** Tags are per organization and listed to every agent: made-up targets keep the real one. */
  tag: string;
  /** The organization's widget client (webhooks, properties and bot templates belong to one). */
  clientId: string;
}

/** What a row's payload may take from the caller: its own organization and client. */
export interface CallerContext {
  ownOrganizationId: string;
  ownClientId: string;
}

export interface MatrixRow {
  api: Api;
  method: string;
  payload(targets: Targets, caller: CallerContext): unknown;
  expected: Partial<Record<CallerKind, Expected>>;
}

type Payload = MatrixRow['payload'];

const chatCallers = {
  agent: {
    otherOrganization: 'not_found',
    agentOutsideGroups: 'not_found',
    missingScope: 'authorization',
    accessScopeOutsideGroups: 'not_found',
    normalAgentAllChats: 'not_found',
  },
  customer: {
    otherOrganization: 'not_found',
    otherOrganizationInUrl: 'authorization',
    customerOutsideChat: 'not_found',
  },
} as const satisfies Record<'agent' | 'customer', MatrixRow['expected']>;

/**
 * A method acting on one chat: whoever may not see the chat gets `not_found`; a `chats--all:ro`
 * token sees it but may not change it, so it gets `not_found` too on a method that writes.
 */
function chatRow(
  apis: readonly ('agent' | 'customer')[],
  method: string,
  payload: Payload,
): MatrixRow[] {
  return apis.map((api) => ({
    api,
    method,
    payload,
    // Methods that change a chat are those `chats--all:ro` does not grant.
    expected:
      api === 'agent' && !scopesGranting(api, method as MethodName)?.includes('chats--all:ro')
        ? { ...chatCallers.agent, allChatsReadOnly: 'not_found' }
        : chatCallers[api],
  }));
}

/** An agent method that is not about a chat: other organizations and missing scopes. */
function agentRow(
  method: string,
  payload: Payload,
  otherOrganization: Expected = 'not_found',
): MatrixRow {
  return {
    api: 'agent',
    method,
    payload,
    expected: { otherOrganization, missingScope: 'authorization' },
  };
}

/**
 * A configuration method. `otherOrganization` is left out where ids are per organization (groups,
 * greetings, tags): the same id names the caller's own resource, so there is nothing to leak. A
 * method with a scope is also called with a token lacking it.
 */
function configurationRow(
  method: string,
  payload: Payload,
  expected: { otherOrganization?: Expected; roleBelow?: Expected },
): MatrixRow {
  const scoped = scopesGranting('configuration', method as MethodName) !== undefined;
  return {
    api: 'configuration',
    method,
    payload,
    expected: { ...expected, ...(scoped ? { missingScope: 'authorization' } : {}) },
  };
}

const both = ['agent', 'customer'] as const;
const thread = (t: Targets) => ({ chat_id: t.chatId, thread_id: t.threadId });
const event = (t: Targets) => ({ ...thread(t), event_id: t.eventId });
/** LiveChat's `test` namespace: everyone may write it everywhere, so the chat check decides. */
const chatProperties = { test: { bool_property: true } };
const propertyNames = { test: ['bool_property'] };
const manager = { roleBelow: 'authorization' } as const;
const foreignManaged = { otherOrganization: 'not_found', roleBelow: 'authorization' } as const;

/** A greeting in LiveChat's form (`create_greeting`), inactive so that nobody is offered it. */
export const greeting = {
  type: 'normal',
  active: false,
  name: 'Welcome',
  group: 0,
  rules: [{ condition: 'and', type: 'url_current', operator: 'contains', value: '/pricing' }],
  properties: { addon: 'chat_widget', is_exit_intent: 'false', 'greeting-message_text': 'Hi!' },
};

export const matrix: MatrixRow[] = [
  // Chats, in both chat APIs.
  ...chatRow(both, 'get_chat', (t) => ({ chat_id: t.chatId })),
  ...chatRow(both, 'list_threads', (t) => ({ chat_id: t.chatId })),
  ...chatRow(both, 'resume_chat', (t) => ({ chat: { id: t.chatId } })),
  ...chatRow(both, 'deactivate_chat', (t) => ({ id: t.chatId })),
  ...chatRow(both, 'update_chat_properties', (t) => ({ id: t.chatId, properties: chatProperties })),
  ...chatRow(both, 'delete_chat_properties', (t) => ({
    id: t.chatId,
    properties: propertyNames,
  })),
  ...chatRow(both, 'update_thread_properties', (t) => ({
    ...thread(t),
    properties: chatProperties,
  })),
  ...chatRow(both, 'delete_thread_properties', (t) => ({
    ...thread(t),
    properties: propertyNames,
  })),
  ...chatRow(both, 'update_event_properties', (t) => ({ ...event(t), properties: chatProperties })),
  ...chatRow(both, 'delete_event_properties', (t) => ({
    ...event(t),
    properties: propertyNames,
  })),
  ...chatRow(both, 'send_typing_indicator', (t) => ({ chat_id: t.chatId, is_typing: true })),
  ...chatRow(both, 'send_rich_message_postback', (t) => ({
    ...event(t),
    postback: { id: 'p', toggled: true },
  })),
  ...chatRow(both, 'mark_events_as_seen', (t) => ({
    chat_id: t.chatId,
    seen_up_to: '2030-01-01T00:00:00.000000Z',
  })),
  ...chatRow(both, 'send_event', (t) => ({
    chat_id: t.chatId,
    event: { type: 'message', text: 'intruder' },
  })),
  ...chatRow(['customer'], 'send_sneak_peek', (t) => ({
    chat_id: t.chatId,
    sneak_peek_text: 'intruder',
  })),
  ...chatRow(['customer'], 'delete_event', event),
  ...chatRow(['agent'], 'send_thinking_indicator', (t) => ({ chat_id: t.chatId })),
  ...chatRow(['agent'], 'send_event_preview', (t) => ({
    chat_id: t.chatId,
    event: { type: 'message', text: 'intruder' },
  })),
  ...chatRow(['agent'], 'follow_chat', (t) => ({ id: t.chatId })),
  ...chatRow(['agent'], 'unfollow_chat', (t) => ({ id: t.chatId })),
  ...chatRow(['agent'], 'add_user_to_chat', (t) => ({
    chat_id: t.chatId,
    user_id: t.agentId,
    user_type: 'agent',
    visibility: 'all',
  })),
  ...chatRow(['agent'], 'remove_user_from_chat', (t) => ({
    chat_id: t.chatId,
    user_id: t.agentId,
    user_type: 'agent',
  })),
  ...chatRow(['agent'], 'tag_thread', (t) => ({ ...thread(t), tag: t.tag })),
  ...chatRow(['agent'], 'untag_thread', (t) => ({ ...thread(t), tag: t.tag })),
  ...chatRow(['agent'], 'request_thread_summary', thread),
  ...chatRow(['agent'], 'transfer_chat', (t) => ({
    id: t.chatId,
    target: { type: 'agent', ids: [t.agentId] },
  })),
  ...chatRow(['agent'], 'list_agents_for_transfer', (t) => ({ chat_id: t.chatId })),
  // Lists: the caller's own (empty) view, never the organization's chat.
  {
    api: 'agent',
    method: 'list_chats',
    payload: () => ({}),
    expected: {
      otherOrganization: 'hides',
      agentOutsideGroups: 'hides',
      missingScope: 'authorization',
      accessScopeOutsideGroups: 'hides',
      normalAgentAllChats: 'hides',
    },
  },
  {
    api: 'agent',
    method: 'list_archives',
    payload: () => ({}),
    expected: {
      otherOrganization: 'hides',
      agentOutsideGroups: 'hides',
      missingScope: 'authorization',
      accessScopeOutsideGroups: 'hides',
      normalAgentAllChats: 'hides',
    },
  },
  {
    api: 'customer',
    method: 'list_chats',
    payload: () => ({}),
    expected: { otherOrganization: 'hides', customerOutsideChat: 'hides' },
  },
  // Agent API: customers, routing, the rest.
  agentRow('get_customer', (t) => ({ id: t.customerId })),
  agentRow('update_customer', (t) => ({ id: t.customerId, name: 'Intruder' })),
  agentRow('ban_customer', (t) => ({ id: t.customerId, ban: { days: 1 } })),
  agentRow('follow_customer', (t) => ({ id: t.customerId })),
  agentRow('unfollow_customer', (t) => ({ id: t.customerId })),
  agentRow('set_routing_status', (t) => ({ status: 'not_accepting_chats', agent_id: t.agentId })),
  agentRow('list_routing_statuses', () => ({}), 'hides'),
  agentRow('list_customers', () => ({}), 'hides'),
  agentRow(
    'start_chat',
    (t) => ({ chat: { users: [{ id: t.customerId, type: 'customer' }] }, continuous: true }),
    'not_found',
  ),
  agentRow(
    'multicast',
    (t) => ({ recipients: { agents: { ids: [t.agentId] } }, content: { intruder: true } }),
    'hides',
  ),
  agentRow('create_customer', () => ({ name: 'New' }), 'hides'),
  // The license needs no scope: every token of the organization may read it.
  {
    api: 'agent',
    method: 'get_license_info',
    payload: () => ({}),
    expected: { otherOrganization: 'hides' },
  },
  // Configuration API: agents.
  configurationRow('get_agent', (t) => ({ id: t.agentId }), { otherOrganization: 'not_found' }),
  configurationRow(
    'update_agent',
    (t) => ({ id: t.agentId, job_title: 'Intruder' }),
    foreignManaged,
  ),
  configurationRow('delete_agent', (t) => ({ id: t.agentId }), foreignManaged),
  configurationRow('suspend_agent', (t) => ({ id: t.agentId }), foreignManaged),
  configurationRow('unsuspend_agent', (t) => ({ id: t.agentId }), foreignManaged),
  configurationRow('approve_agent', (t) => ({ id: t.agentId }), foreignManaged),
  configurationRow('reactivate_email', (t) => ({ agent_id: t.agentId }), foreignManaged),
  configurationRow(
    'batch_update_agents',
    (t) => ({ requests: [{ id: t.agentId, job_title: 'Intruder' }] }),
    foreignManaged,
  ),
  ...[
    'batch_delete_agents',
    'batch_suspend_agents',
    'batch_unsuspend_agents',
    'batch_approve_agents',
  ].map((method) =>
    configurationRow(method, (t) => ({ requests: [{ id: t.agentId }] }), foreignManaged),
  ),
  configurationRow('create_agent', () => ({ id: 'new.agent@first.test', name: 'New' }), manager),
  configurationRow(
    'batch_create_agents',
    () => ({ requests: [{ id: 'new.agent@first.test', name: 'New' }] }),
    manager,
  ),
  // Bots and bot templates.
  configurationRow('get_bot', (t) => ({ id: t.botId }), { otherOrganization: 'not_found' }),
  configurationRow('update_bot', (t) => ({ id: t.botId, name: 'Intruder' }), foreignManaged),
  configurationRow('delete_bot', (t) => ({ id: t.botId }), foreignManaged),
  configurationRow(
    'reset_bot_secret',
    (t, c) => ({ id: t.botId, owner_client_id: c.ownClientId }),
    foreignManaged,
  ),
  configurationRow(
    'batch_update_bots',
    (t) => ({ requests: [{ id: t.botId, name: 'Intruder' }] }),
    foreignManaged,
  ),
  configurationRow('batch_delete_bots', (t) => ({ requests: [{ id: t.botId }] }), foreignManaged),
  configurationRow(
    'create_bot',
    (_t, c) => ({ name: 'New bot', owner_client_id: c.ownClientId }),
    manager,
  ),
  configurationRow(
    'batch_create_bots',
    (_t, c) => ({ requests: [{ name: 'New bot', owner_client_id: c.ownClientId }] }),
    manager,
  ),
  configurationRow(
    'issue_bot_token',
    (t, c) => ({
      bot_id: t.botId,
      client_id: c.ownClientId,
      bot_secret: 'not-the-secret',
      organization_id: c.ownOrganizationId,
    }),
    { otherOrganization: 'authorization' },
  ),
  configurationRow(
    'update_bot_template',
    (t, c) => ({ id: t.botTemplateId, name: 'Intruder', owner_client_id: c.ownClientId }),
    foreignManaged,
  ),
  configurationRow(
    'delete_bot_template',
    (t, c) => ({ id: t.botTemplateId, owner_client_id: c.ownClientId }),
    foreignManaged,
  ),
  configurationRow(
    'reset_bot_template_secret',
    (t, c) => ({ id: t.botTemplateId, owner_client_id: c.ownClientId }),
    foreignManaged,
  ),
  configurationRow(
    'create_bot_template',
    (_t, c) => ({ name: 'New template', owner_client_id: c.ownClientId }),
    manager,
  ),
  // Groups, tags, properties, auto access, greetings, bans, company details.
  configurationRow('create_group', () => ({ name: 'New group' }), manager),
  configurationRow('update_group', (t) => ({ id: t.groupId, name: 'Intruder' }), manager),
  configurationRow('delete_group', (t) => ({ id: t.groupId }), manager),
  configurationRow('create_tag', () => ({ name: 'new-tag' }), manager),
  configurationRow('update_tag', (t) => ({ name: t.tag, group_ids: [0] }), manager),
  configurationRow('delete_tag', (t) => ({ name: t.tag }), manager),
  configurationRow(
    'update_license_properties',
    () => ({ properties: { chats: { chat_inactive_after_min: 5 } } }),
    manager,
  ),
  configurationRow(
    'delete_license_properties',
    () => ({ properties: { chats: ['chat_inactive_after_min'] } }),
    manager,
  ),
  configurationRow(
    'update_group_properties',
    (t) => ({ group_id: t.groupId, properties: { chats: { chat_inactive_after_min: 5 } } }),
    manager,
  ),
  configurationRow(
    'delete_group_properties',
    (t) => ({ id: t.groupId, properties: { chats: ['chat_inactive_after_min'] } }),
    manager,
  ),
  configurationRow(
    'register_property',
    (_t, c) => ({
      name: 'intruder',
      type: 'string',
      access: { chat: { agent: ['read'] } },
      owner_client_id: c.ownClientId,
    }),
    manager,
  ),
  configurationRow(
    'unregister_property',
    (_t, c) => ({ name: 'intruder', owner_client_id: c.ownClientId }),
    manager,
  ),
  configurationRow(
    'publish_property',
    (_t, c) => ({ name: 'intruder', access_type: ['read'], owner_client_id: c.ownClientId }),
    manager,
  ),
  configurationRow(
    'add_auto_access',
    (t) => ({
      access: { groups: [t.groupId] },
      conditions: { domain: { values: [{ value: 'intruder.test' }] } },
    }),
    manager,
  ),
  configurationRow(
    'update_auto_access',
    (t) => ({ id: t.autoAccessId, description: 'Intruder' }),
    foreignManaged,
  ),
  configurationRow('delete_auto_access', (t) => ({ id: t.autoAccessId }), foreignManaged),
  configurationRow('create_greeting', () => ({ ...greeting, name: 'Intruder' }), manager),
  configurationRow('update_greeting', (t) => ({ id: t.greetingId, name: 'Intruder' }), manager),
  configurationRow('delete_greeting', (t) => ({ id: t.greetingId }), manager),
  configurationRow('unban_customer', () => ({ ip: '203.0.113.9' }), manager),
  configurationRow('update_company_details', () => ({ company: 'Intruder Ltd' }), manager),
  configurationRow('erase_customer', (t) => ({ customer_id: t.customerId }), foreignManaged),
  // Webhooks (the webhook service).
  configurationRow(
    'register_webhook',
    (t) => ({
      action: 'incoming_chat',
      secret_key: 'intruder',
      url: 'http://127.0.0.1:9/hook',
      owner_client_id: t.clientId,
      type: 'license',
    }),
    { otherOrganization: 'authorization' },
  ),
  configurationRow(
    'register_webhook',
    (_t, c) => ({
      action: 'incoming_chat',
      secret_key: 'intruder',
      url: 'http://127.0.0.1:9/hook',
      owner_client_id: c.ownClientId,
      type: 'license',
    }),
    manager,
  ),
  configurationRow('list_webhooks', (t) => ({ owner_client_id: t.clientId }), {
    otherOrganization: 'authorization',
  }),
  configurationRow(
    'unregister_webhook',
    (t, c) => ({ id: t.webhookId, owner_client_id: c.ownClientId }),
    foreignManaged,
  ),
  configurationRow(
    'list_webhook_deliveries',
    (t, c) => ({ webhook_id: t.webhookId, owner_client_id: c.ownClientId }),
    { otherOrganization: 'not_found' },
  ),
  configurationRow(
    'replay_webhooks',
    (t, c) => ({
      webhook_id: t.webhookId,
      from: '2020-01-01T00:00:00Z',
      owner_client_id: c.ownClientId,
    }),
    foreignManaged,
  ),
  configurationRow(
    'enable_license_webhooks',
    (_t, c) => ({ owner_client_id: c.ownClientId }),
    manager,
  ),
  configurationRow(
    'disable_license_webhooks',
    (_t, c) => ({ owner_client_id: c.ownClientId }),
    manager,
  ),
];
