import { describe, expect, it } from 'vitest';
import {
  agentCustomerView,
  type CustomerFacts,
  customerChangesPayload,
  customerView,
  ownCustomerView,
} from './customer-views.ts';
import { urlInfo } from './widget-defaults.ts';

function aCustomer(overrides: Partial<CustomerFacts> = {}): CustomerFacts {
  return {
    id: 'c1',
    name: 'Ann',
    email: undefined,
    avatar: undefined,
    sessionFields: [{ plan: 'gold' }],
    phoneNumber: undefined,
    address: undefined,
    omnichannel: undefined,
    lastPage: undefined,
    createdAt: new Date('2026-01-02T03:04:05.678Z'),
    ...overrides,
  };
}

const noActivity = {
  chatIds: [],
  activeChatIds: [],
  threadsCount: 0,
  greetings: { shown: 0, accepted: 0 },
};

describe('customer views', () => {
  it('leave out fields the customer never gave', () => {
    expect(customerView(aCustomer())).toEqual({
      id: 'c1',
      type: 'customer',
      name: 'Ann',
      email_verified: false,
      session_fields: [{ plan: 'gold' }],
    });
  });

  it('give agents statistics, the last visit and a state', () => {
    const view = agentCustomerView(
      aCustomer({ lastPage: { url: 'https://a.test', opened_at: '2026-01-02T03:04:05.000000Z' } }),
      {
        chatIds: ['A', 'B'],
        activeChatIds: [],
        threadsCount: 5,
        greetings: { shown: 3, accepted: 1 },
      },
      false,
    );
    expect(view).toMatchObject({
      created_at: '2026-01-02T03:04:05.678000Z',
      chat_ids: ['A', 'B'],
      state: 'browsing',
      statistics: {
        chats_count: 2,
        threads_count: 5,
        visits_count: 1,
        page_views_count: 1,
        greetings_shown_count: 3,
        greetings_accepted_count: 1,
      },
      visit: { last_pages: [{ url: 'https://a.test', title: '' }] },
    });
    expect(agentCustomerView(aCustomer(), { ...noActivity, threadsCount: 0 }, true)).toMatchObject({
      state: 'banned',
    });
  });

  it('give customers their own statistics too (customer SDKs need them)', () => {
    expect(
      ownCustomerView(aCustomer(), {
        ...noActivity,
        chatIds: ['A'],
        activeChatIds: ['A'],
        threadsCount: 3,
      }),
    ).toMatchObject({
      id: 'c1',
      statistics: { chats_count: 1, threads_count: 3, visits_count: 0 },
    });
  });

  it('announce only the changed fields with the id', () => {
    expect(
      customerChangesPayload('c1', {
        id: 'c1',
        name: 'B',
        email: undefined,
        name_is_default: true,
      }),
    ).toEqual({ id: 'c1', name: 'B' });
  });
});

describe('urlInfo', () => {
  it('answers from the URL alone', () => {
    expect(urlInfo('https://Example.test/path')).toMatchObject({
      url: 'https://example.test/path',
      title: 'example.test',
      image_url: '',
    });
  });
});
