/**
 * An agent connection's `subscribe_customers` subscriptions (spec §2): each is the set of
 * customers its answer listed. They live and die with the connection, as LiveChat's do.
 */
export function createCustomerSubscriptions() {
  const subscriptions = new Map<string, ReadonlySet<string>>();
  return {
    add(subscriptionId: string, customerIds: Iterable<string>): void {
      subscriptions.set(subscriptionId, new Set(customerIds));
    },
    /** False when there was no such subscription. */
    remove(subscriptionId: string): boolean {
      return subscriptions.delete(subscriptionId);
    },
    covers(customerId: string): boolean {
      for (const customers of subscriptions.values()) if (customers.has(customerId)) return true;
      return false;
    },
  };
}

export type CustomerSubscriptions = ReturnType<typeof createCustomerSubscriptions>;

/** Who a customer push is about and who gets it regardless of subscriptions. */
export interface CustomerPushAudience {
  /** Empty for pushes that are not about a customer. */
  customerId: string;
  /** The agents in the customer's chats and those following the customer. */
  audienceUserIds: readonly string[];
}

/**
 * Whether an agent's connection delivers a push: every push that is not about a customer; a
 * customer push only to its audience and to connections subscribed to that customer.
 */
export function deliversToAgent(
  push: CustomerPushAudience,
  agentId: string,
  subscriptions: Pick<CustomerSubscriptions, 'covers'>,
): boolean {
  if (!push.customerId) return true;
  return push.audienceUserIds.includes(agentId) || subscriptions.covers(push.customerId);
}
