import { describe, expect, it } from 'vitest';
import { agentLoginResponse, customerLoginResponse, hasUnreadEvents } from './login-responses.ts';

const organization = {
  id: '8d0c2b5e-0000-4000-8000-000000000000',
  licenseId: 42,
  createdAt: new Date('2025-01-02T03:04:05Z'),
};
const agent = {
  id: 'ann@example.test',
  name: 'Ann',
  email: 'ann@example.test',
  avatar: '',
  jobTitle: 'Support',
  role: 'owner',
  maxChatsCount: 6,
};

describe('agentLoginResponse', () => {
  it('has the license, the profile and the chats summary', () => {
    const response = agentLoginResponse({
      organization,
      agent,
      routingStatus: 'accepting_chats',
      chats: { chats_summary: [{ id: 'C1' }], found_chats: 1 },
    });
    expect(response).toEqual({
      license: {
        id: '42',
        organization_id: organization.id,
        plan: 'enterprise',
        expiration_timestamp: 4_102_444_800,
        creation_timestamp: 1_735_787_045,
        in_trial: false,
      },
      my_profile: {
        id: 'ann@example.test',
        type: 'agent',
        name: 'Ann',
        email: 'ann@example.test',
        avatar: '',
        job_title: 'Support',
        routing_status: 'accepting_chats',
        permission: 'owner',
        max_chats_count: 6,
      },
      chats_summary: [{ id: 'C1' }],
    });
  });
});

describe('customerLoginResponse', () => {
  it('has every field the customer SDK reads, with empty strings for unknown name and e-mail', () => {
    const response = customerLoginResponse({
      customer: {
        id: 'cust',
        name: undefined,
        email: undefined,
        avatar: undefined,
        sessionFields: [],
      },
      groupId: 2,
      onlineGroupIds: [],
      chats: { chats_summary: [{ id: 'C1', active: false }], total_chats: 1 },
      greetings: { shown: 2, accepted: 1 },
    });
    expect(response).toMatchObject({
      customer_id: 'cust',
      has_active_thread: false,
      chats: [{ chat_id: 'C1', has_active_thread: false, has_unread_events: false }],
      customer: { id: 'cust', type: 'customer', name: '', email: '', session_fields: [] },
      __priv_dynamic_config: { online_groups_ids: [], customer_groups: { monitoring: { id: 2 } } },
    });
    expect(response.customer).toHaveProperty('statistics.chats_count', 1);
    expect(response.customer).toHaveProperty('statistics.greetings_shown_count', 2);
    expect(response.customer).toHaveProperty('statistics.greetings_accepted_count', 1);
  });

  it('copes with a chats answer of the wrong shape', () => {
    const response = customerLoginResponse({
      customer: { id: 'c', name: 'N', email: 'e', avatar: 'a', sessionFields: [] },
      groupId: 0,
      onlineGroupIds: [0],
      chats: { chats_summary: 'nonsense' },
      greetings: { shown: 0, accepted: 0 },
    });
    expect(response).toMatchObject({ chats: [], has_active_thread: false });
  });
});

describe('hasUnreadEvents', () => {
  const summary = (seen: string | undefined, lastAuthor: string, lastAt: string) => ({
    users: [{ id: 'cust', ...(seen ? { events_seen_up_to: seen } : {}) }],
    last_event_per_type: { message: { event: { author_id: lastAuthor, created_at: lastAt } } },
  });

  it('is true when someone else wrote after what the customer has seen', () => {
    expect(
      hasUnreadEvents(
        summary('2030-01-01T00:00:00.000000Z', 'agent', '2030-01-01T00:00:01.000000Z'),
        'cust',
      ),
    ).toBe(true);
    expect(
      hasUnreadEvents(summary(undefined, 'agent', '2030-01-01T00:00:01.000000Z'), 'cust'),
    ).toBe(true);
  });

  it("is false for the customer's own events and for events already seen", () => {
    expect(hasUnreadEvents(summary(undefined, 'cust', '2030-01-01T00:00:01.000000Z'), 'cust')).toBe(
      false,
    );
    expect(
      hasUnreadEvents(
        summary('2030-01-02T00:00:00.000000Z', 'agent', '2030-01-01T00:00:01.000000Z'),
        'cust',
      ),
    ).toBe(false);
  });
});
