import { formatTimestamp } from '@threadline/protocol';

/**
 * A customer as the protocol shows it (spec §5.4): the customer's own view, and the agent view
 * with statistics and the last visit. Pure, from what the gateway gathered.
 */
export interface CustomerFacts {
  id: string;
  name: string | undefined;
  email: string | undefined;
  avatar: string | undefined;
  sessionFields: Record<string, string>[];
  phoneNumber: string | undefined;
  address: Record<string, string> | undefined;
  omnichannel: Record<string, unknown> | undefined;
  lastPage: { url: string; title?: string | undefined; opened_at: string } | undefined;
  createdAt: Date;
}

export interface CustomerStatistics {
  chatIds: string[];
  threadsCount: number;
  activeChatIds: string[];
  /** Greetings shown to the customer, and those they accepted. */
  greetings: { shown: number; accepted: number };
}

export function customerView(customer: CustomerFacts): Record<string, unknown> {
  return {
    id: customer.id,
    type: 'customer',
    ...optional('name', customer.name),
    ...optional('email', customer.email),
    email_verified: false,
    ...optional('avatar', customer.avatar),
    ...optional('phone_number', customer.phoneNumber),
    session_fields: customer.sessionFields,
    ...optional('omnichannel', customer.omnichannel),
    ...optional('address', customer.address),
  };
}

/**
 * The customer's own view with its statistics: LiveChat's customer SDK reads `statistics` from
 * `get_customer` (and fails without it), though the data structure lists it for agents only.
 */
export function ownCustomerView(
  customer: CustomerFacts,
  statistics: CustomerStatistics,
): Record<string, unknown> {
  return { ...customerView(customer), statistics: statisticsOf(customer, statistics) };
}

function statisticsOf(customer: CustomerFacts, statistics: CustomerStatistics) {
  const visits = customer.lastPage ? 1 : 0;
  return {
    chats_count: statistics.chatIds.length,
    threads_count: statistics.threadsCount,
    visits_count: visits,
    page_views_count: visits,
    greetings_shown_count: statistics.greetings.shown,
    greetings_accepted_count: statistics.greetings.accepted,
    // Threadline does not link chats to the greeting that led to them.
    greetings_converted_count: 0,
    tickets_count: 0,
  };
}

export function agentCustomerView(
  customer: CustomerFacts,
  statistics: CustomerStatistics,
  banned: boolean,
): Record<string, unknown> {
  const page = customer.lastPage;
  return {
    ...customerView(customer),
    created_at: formatTimestamp(customer.createdAt),
    ...(page
      ? {
          visit: {
            started_at: page.opened_at,
            last_pages: [{ opened_at: page.opened_at, url: page.url, title: page.title ?? '' }],
          },
        }
      : {}),
    statistics: statisticsOf(customer, statistics),
    chat_ids: statistics.chatIds,
    followed: false,
    state: banned ? 'banned' : statistics.activeChatIds.length > 0 ? 'chatting' : 'browsing',
  };
}

/**
 * `customer_updated` carries the id and the fields that changed, in the protocol's names
 * (spec §4.1, §4.2).
 */
export function customerChangesPayload(
  customerId: string,
  changes: Record<string, unknown>,
): Record<string, unknown> {
  const payload: Record<string, unknown> = { id: customerId };
  for (const [field, value] of Object.entries(changes)) {
    if (value !== undefined && field !== 'id' && field !== 'name_is_default')
      payload[field] = value;
  }
  return payload;
}

function optional(field: string, value: unknown): Record<string, unknown> {
  return value === undefined || value === null || value === '' ? {} : { [field]: value };
}
