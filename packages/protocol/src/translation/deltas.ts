import type { Api } from '../catalog.ts';

/** A payload rewrite between two neighbouring versions; pure, and never mutates its input. */
export type Rewrite = (payload: Record<string, unknown>) => Record<string, unknown>;

/**
 * A rewrite of each object of an array payload: the Configuration API's list methods
 * (`list_agents`, `list_bots`) answer a bare array.
 */
export interface EachRewrite {
  each: Rewrite;
}

/** A push as one version names and shapes it. */
export interface VersionPush {
  action: string;
  payload: unknown;
}

type PerApi<T> = Partial<Record<Api, T>>;

/**
 * What one API version changes relative to its neighbour one step closer to the core (3.6), as
 * LiveChat's changelogs describe it. Threadline implements only the core; a request in another
 * version walks the chain of deltas to the core, and its response and pushes walk back.
 */
export interface VersionDelta {
  version: string;
  closerToCore: string;
  /** Methods the closer version has and this one does not (→ `not_found` here). */
  lacksMethods?: PerApi<readonly string[]>;
  /** Methods that exist only in this version and older ones (→ `not_found` closer to the core). */
  onlyMethods?: PerApi<readonly string[]>;
  /** Pushes the closer version sends and this one does not: never sent to its connections. */
  lacksPushes?: PerApi<readonly string[]>;
  /** Request payloads, this version → closer version. */
  requests?: PerApi<Record<string, Rewrite>>;
  /** Response payloads, closer version → this version. */
  responses?: PerApi<Record<string, Rewrite | EachRewrite>>;
  /** Push payloads, closer version → this version. */
  pushes?: PerApi<Record<string, Rewrite>>;
  /**
   * Pushes this version names differently: the closer version's push (any payload, arrays
   * included) → this version's pushes, none, one or several.
   */
  renamedPushes?: PerApi<Record<string, (payload: unknown) => VersionPush[]>>;
}

/**
 * The version Threadline's services speak; every other one is translated at the edges: by the
 * gateway for requests, answers and pushes, by the webhook service for webhooks.
 */
export const coreVersion = '3.6';

/**
 * 3.7 (dev preview): the chat summary became "chat info" (`chats_info`, `last_thread_info` holding
 * `last_event_per_type`), and the customer's `get_predicted_agent` gave way to
 * `request_welcome_message`.
 */
const v37: VersionDelta = {
  version: '3.7',
  closerToCore: '3.6',
  lacksMethods: { customer: ['get_predicted_agent'] },
  responses: {
    agent: {
      list_chats: (payload) => renameSummaries(payload, toChatInfo),
      login: (payload) => renameSummaries(payload, toChatInfo),
    },
    customer: { list_chats: (payload) => renameSummaries(payload, (summary) => summary) },
  },
};

/**
 * 3.5 (legacy): customers are created and listed by agents, `X-Author-Id` lets an agent act as a
 * bot, `list_chats` filters by `include_active`, customers carry `last_visit`, and the customer's
 * dynamic configuration is flat. Previews, thinking indicators, summaries, sessions, customer
 * subscriptions, `reactivate_email` and `update_company_details` came in 3.6.
 */
const v35: VersionDelta = {
  version: '3.5',
  closerToCore: '3.6',
  lacksMethods: {
    agent: [
      'send_event_preview',
      'send_thinking_indicator',
      'request_thread_summary',
      'update_session',
      'subscribe_customers',
      'unsubscribe_customers',
    ],
    customer: ['delete_event', 'request_welcome_message', 'send_greeting_button_clicked'],
    configuration: ['reactivate_email', 'update_company_details'],
  },
  onlyMethods: {
    agent: [
      'get_license_info',
      'list_customers',
      'create_customer',
      'follow_customer',
      'unfollow_customer',
    ],
  },
  lacksPushes: {
    agent: [
      'incoming_thinking_indicator',
      'thread_summary_set',
      'incoming_error',
      'event_deleted',
      'subscribed_customers_totals_updated',
      'ticket_created',
      'ticket_deleted',
      'customer_statistics_updated',
      'license_properties_updated',
      'group_properties_updated',
    ],
    customer: [
      'event_deleted',
      'incoming_event_preview',
      'incoming_thinking_indicator',
      'incoming_welcome_message',
    ],
  },
  requests: { agent: { list_chats: includeActiveToActive } },
  responses: {
    agent: {
      get_customer: visitToLastVisit,
      list_customers: (payload) => mapList(payload, 'customers', visitToLastVisit),
    },
    customer: { get_dynamic_configuration: flatDynamicConfiguration },
  },
  pushes: {
    agent: {
      incoming_customer: visitToLastVisit,
      customer_updated: visitToLastVisit,
      incoming_customers: (payload) => mapList(payload, 'customers', visitToLastVisit),
      incoming_rich_message_postback: postbackWithoutButtonDetails,
    },
    customer: { incoming_rich_message_postback: postbackWithoutButtonDetails },
  },
};

/**
 * 3.4 (deprecated): before 3.5 added bot templates, channels, plan limits, the product source,
 * group status and tag pushes, gathered the auto access pushes into `auto_accesses_updated`, gave
 * `work_scheduler` its `{timezone, schedule}` form, added the greeting's `is_exit_intent`, and
 * removed `change_push_notifications` (RTM only).
 */
const v34: VersionDelta = {
  version: '3.4',
  closerToCore: '3.5',
  onlyMethods: { agent: ['change_push_notifications'] },
  lacksMethods: {
    configuration: [
      'create_bot_template',
      'update_bot_template',
      'delete_bot_template',
      'list_bot_templates',
      'reset_bot_template_secret',
      'list_channels',
      'check_product_limits_for_plan',
      'get_product_source',
    ],
  },
  lacksPushes: {
    agent: ['groups_status_updated', 'tag_created', 'tag_updated', 'tag_deleted'],
    customer: ['groups_status_updated'],
  },
  responses: {
    customer: { login: (payload) => withField(payload, 'greeting', withoutExitIntent) },
    configuration: {
      get_agent: dayKeyedWorkScheduler,
      list_agents: { each: dayKeyedWorkScheduler },
      get_bot: dayKeyedWorkScheduler,
      list_bots: { each: dayKeyedWorkScheduler },
    },
  },
  pushes: {
    agent: {
      agent_created: dayKeyedWorkScheduler,
      agent_updated: dayKeyedWorkScheduler,
      bot_created: dayKeyedWorkScheduler,
      bot_updated: dayKeyedWorkScheduler,
    },
    customer: { incoming_greeting: withoutExitIntent },
  },
  renamedPushes: { agent: { auto_accesses_updated: autoAccessPushes } },
};

export const versionDeltas: readonly VersionDelta[] = [v34, v35, v37];

/** 3.5 `filters.include_active:false` = 3.6 `filters.active:false`; true (the default) = both. */
function includeActiveToActive(payload: Record<string, unknown>): Record<string, unknown> {
  const filters = asRecord(payload.filters);
  if (!('include_active' in filters)) return payload;
  const { include_active: includeActive, ...rest } = filters;
  return { ...payload, filters: includeActive === false ? { ...rest, active: false } : rest };
}

function visitToLastVisit(customer: Record<string, unknown>): Record<string, unknown> {
  if (!('visit' in customer)) return customer;
  const { visit, ...rest } = customer;
  return { ...rest, last_visit: visit };
}

/** 3.6 nests the LiveChat widget's settings under `livechat`; 3.5 has them at the top level. */
function flatDynamicConfiguration(payload: Record<string, unknown>): Record<string, unknown> {
  const livechat = asRecord(payload.livechat);
  return {
    group_id: livechat.group_id,
    organization_id: payload.organization_id,
    client_limit_exceeded: livechat.client_limit_exceeded,
    domain_allowed: livechat.domain_allowed,
    ...(livechat.online_group_ids !== undefined
      ? { online_group_ids: livechat.online_group_ids }
      : {}),
    config_version: livechat.config_version,
    localization_version: livechat.localization_version,
    language: livechat.language,
  };
}

function renameSummaries(
  payload: Record<string, unknown>,
  rewrite: Rewrite,
): Record<string, unknown> {
  if (!('chats_summary' in payload)) return payload;
  const { chats_summary: summaries, ...rest } = payload;
  return { ...rest, chats_info: asRecords(summaries).map(rewrite) };
}

/** A 3.6 chat summary as 3.7's chat info: the last thread's events move inside its info. */
function toChatInfo(summary: Record<string, unknown>): Record<string, unknown> {
  const { last_thread_summary: lastThread, last_event_per_type: lastEvents, ...rest } = summary;
  if (lastThread === undefined) return rest;
  const events = Object.fromEntries(
    Object.entries(asRecord(lastEvents)).map(([type, entry]) => {
      const { thread_id: _threadId, thread_created_at: _createdAt, ...kept } = asRecord(entry);
      return [type, kept];
    }),
  );
  return { ...rest, last_thread_info: { ...asRecord(lastThread), last_event_per_type: events } };
}

/** 3.6 added `button_type`, `button_value` and `ecommerce` to a postback. */
function postbackWithoutButtonDetails(payload: Record<string, unknown>): Record<string, unknown> {
  return withField(payload, 'postback', (postback) => {
    const { button_type: _type, button_value: _value, ecommerce: _ecommerce, ...rest } = postback;
    return rest;
  });
}

function withoutExitIntent(greeting: Record<string, unknown>): Record<string, unknown> {
  const { is_exit_intent: _exitIntent, ...rest } = greeting;
  return rest;
}

/**
 * 3.4's `work_scheduler` is `{monday:{start,end}, …}`: one span per day, no time zone. The
 * enabled spans of the `{timezone, schedule:[{day, enabled, start, end}]}` form become it, a day
 * keeping its first span (3.4 cannot say more).
 */
function dayKeyedWorkScheduler(payload: Record<string, unknown>): Record<string, unknown> {
  return withField(payload, 'work_scheduler', (scheduler) => {
    const days: Record<string, { start: unknown; end: unknown }> = {};
    for (const span of asRecords(scheduler.schedule)) {
      const day = String(span.day);
      if (span.enabled !== false && !(day in days))
        days[day] = { start: span.start, end: span.end };
    }
    return days;
  });
}

/**
 * 3.5's `auto_accesses_updated` lists each rule it touched with a `status`; 3.4 sends one push per
 * rule instead: `auto_access_added` (the whole rule), `auto_access_updated` (changed fields, a
 * moved `next_id` among them), `auto_access_deleted` (`{id}`).
 */
function autoAccessPushes(payload: unknown): VersionPush[] {
  const names: Record<string, string> = {
    added: 'auto_access_added',
    updated: 'auto_access_updated',
    deleted: 'auto_access_deleted',
  };
  return asRecords(payload).flatMap(({ status, ...rule }) => {
    const action = names[String(status)];
    if (!action) return [];
    return [{ action, payload: status === 'deleted' ? { id: rule.id } : rule }];
  });
}

/** `payload` with `key` rewritten, when it holds an object. */
function withField(payload: Record<string, unknown>, key: string, rewrite: Rewrite) {
  const value = payload[key];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return payload;
  return { ...payload, [key]: rewrite(value as Record<string, unknown>) };
}

function mapList(payload: Record<string, unknown>, key: string, rewrite: Rewrite) {
  return Array.isArray(payload[key])
    ? { ...payload, [key]: asRecords(payload[key]).map(rewrite) }
    : payload;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function asRecords(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(asRecord) : [];
}
