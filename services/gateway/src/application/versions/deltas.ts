import type { Api } from '@threadline/protocol';

/** A payload rewrite between two neighbouring versions; pure, and never mutates its input. */
export type Rewrite = (payload: Record<string, unknown>) => Record<string, unknown>;

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
  responses?: PerApi<Record<string, Rewrite>>;
  /** Push payloads, closer version → this version. */
  pushes?: PerApi<Record<string, Rewrite>>;
}

/** The version Threadline's services speak; every other one is translated at the gateway. */
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
 * dynamic configuration is flat. Previews, thinking indicators, summaries, sessions and customer
 * subscriptions came in 3.6.
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
    },
  },
};

/**
 * 3.4 (deprecated): before 3.5 added group status and tag pushes and removed
 * `change_push_notifications` (RTM only).
 */
const v34: VersionDelta = {
  version: '3.4',
  closerToCore: '3.5',
  onlyMethods: { agent: ['change_push_notifications'] },
  lacksPushes: {
    agent: ['groups_status_updated', 'tag_created', 'tag_updated', 'tag_deleted'],
    customer: ['groups_status_updated'],
  },
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
