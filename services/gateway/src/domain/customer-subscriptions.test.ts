import { describe, expect, it } from 'vitest';
import { createCustomerSubscriptions, deliversToAgent } from './customer-subscriptions.ts';

describe('customer subscriptions', () => {
  it('cover the customers their answers listed, until unsubscribed', () => {
    const sut = createCustomerSubscriptions();
    sut.add('s1', ['c1', 'c2']);
    sut.add('s2', ['c2']);
    expect(sut.covers('c1')).toBe(true);
    expect(sut.covers('c3')).toBe(false);
    expect(sut.remove('s1')).toBe(true);
    expect(sut.remove('s1')).toBe(false);
    expect(sut.covers('c1')).toBe(false);
    expect(sut.covers('c2')).toBe(true);
  });

  it('let customer pushes through to their audience and subscribers only', () => {
    const subscriptions = createCustomerSubscriptions();
    const push = { customerId: 'c1', audienceUserIds: ['chatting@x'] };
    const chatting = { id: 'chatting@x', groupIds: [0] };
    const other = { id: 'other@x', groupIds: [0] };
    expect(deliversToAgent(push, chatting, subscriptions)).toBe(true);
    expect(deliversToAgent(push, other, subscriptions)).toBe(false);
    subscriptions.add('s', ['c1']);
    expect(deliversToAgent(push, other, subscriptions)).toBe(true);
    const notAboutACustomer = { customerId: '', audienceUserIds: [] };
    expect(deliversToAgent(notAboutACustomer, other, createCustomerSubscriptions())).toBe(true);
  });

  it('let queue pushes through to agents of the chats’ groups only', () => {
    const queue = { customerId: '', audienceUserIds: [], audienceGroupIds: [5] };
    const none = createCustomerSubscriptions();
    expect(deliversToAgent(queue, { id: 'sales@x', groupIds: [0, 5] }, none)).toBe(true);
    expect(deliversToAgent(queue, { id: 'support@x', groupIds: [0, 7] }, none)).toBe(false);
    const everyone = { ...queue, audienceGroupIds: [0] };
    expect(deliversToAgent(everyone, { id: 'support@x', groupIds: [0, 7] }, none)).toBe(true);
  });
});
