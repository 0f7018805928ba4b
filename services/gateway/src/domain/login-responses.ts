import type { RoutingStatus } from '@threadline/protocol';

/**
 * The login responses (spec §1.4), built from what the gateway gathered: pure, so their shapes are
 * unit-tested. LiveChat's customer SDK refuses a login response missing any of its fields. They are
 * the core version's (3.6); `@threadline/protocol` translates them for the connection's version.
 */

/** Self-hosted licenses do not expire: the expiration is the start of 2100. */
const neverExpires = 4_102_444_800;

export interface AgentLoginFacts {
  organization: { id: string; licenseId: number; createdAt: Date };
  agent: {
    id: string;
    name: string;
    email: string;
    avatar: string;
    jobTitle: string;
    role: string;
    maxChatsCount: number;
  };
  routingStatus: RoutingStatus;
  /** The `list_chats` response of chat-store for this agent. */
  chats: Record<string, unknown>;
}

export function agentLoginResponse(facts: AgentLoginFacts): Record<string, unknown> {
  const { organization, agent } = facts;
  return {
    license: {
      id: String(organization.licenseId),
      organization_id: organization.id,
      plan: 'enterprise',
      expiration_timestamp: neverExpires,
      creation_timestamp: Math.floor(organization.createdAt.getTime() / 1000),
      in_trial: false,
    },
    my_profile: {
      id: agent.id,
      type: 'agent',
      name: agent.name,
      email: agent.email,
      avatar: agent.avatar,
      job_title: agent.jobTitle,
      routing_status: facts.routingStatus,
      permission: agent.role,
      max_chats_count: agent.maxChatsCount,
    },
    chats_summary: facts.chats.chats_summary ?? [],
  };
}

export interface CustomerLoginFacts {
  customer: {
    id: string;
    name: string | undefined;
    email: string | undefined;
    avatar: string | undefined;
    sessionFields: Record<string, string>[];
  };
  groupId: number;
  onlineGroupIds: number[];
  /** The `list_chats` response of chat-store for this customer. */
  chats: Record<string, unknown>;
  /** Greetings shown to the customer, and those they accepted. */
  greetings: { shown: number; accepted: number };
}

export function customerLoginResponse(facts: CustomerLoginFacts): Record<string, unknown> {
  const summaries = asArray(facts.chats.chats_summary);
  const chats = summaries.map((summary) => ({
    chat_id: String(summary.id ?? ''),
    has_active_thread: summary.active === true,
    has_unread_events: hasUnreadEvents(summary, facts.customer.id),
  }));
  const { customer } = facts;
  return {
    customer_id: customer.id,
    customer: {
      id: customer.id,
      type: 'customer',
      name: customer.name ?? '',
      email: customer.email ?? '',
      ...(customer.avatar ? { avatar: customer.avatar } : {}),
      session_fields: customer.sessionFields,
      statistics: {
        chats_count: chats.length,
        threads_count: 0,
        visits_count: 1,
        page_views_count: 1,
        greetings_shown_count: facts.greetings.shown,
        greetings_accepted_count: facts.greetings.accepted,
      },
    },
    has_active_thread: chats.some((chat) => chat.has_active_thread),
    chats,
    __priv_dynamic_config: {
      online_groups_ids: facts.onlineGroupIds,
      customer_groups: { monitoring: { id: facts.groupId } },
    },
  };
}

/**
 * Unread = someone else wrote after the customer's `events_seen_up_to` (timestamps in the
 * protocol's fixed-width RFC 3339 form compare correctly as strings).
 */
export function hasUnreadEvents(summary: Record<string, unknown>, customerId: string): boolean {
  const me = asArray(summary.users).find((user) => user.id === customerId);
  const seenUpTo = typeof me?.events_seen_up_to === 'string' ? me.events_seen_up_to : '';
  const lastEvents = Object.values(asRecord(summary.last_event_per_type));
  return lastEvents.some((entry) => {
    const event = asRecord(asRecord(entry).event);
    const createdAt = typeof event.created_at === 'string' ? event.created_at : '';
    return event.author_id !== customerId && createdAt > seenUpTo;
  });
}

function asArray(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter((item) => typeof item === 'object' && item) : [];
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
