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
  /** Group-addressed pushes (the queue): the groups whose agents may see the chats. */
  audienceGroupIds?: readonly number[];
}

/**
 * Whether an agent's connection delivers a push: a group-addressed push to agents of one of its
 * groups (group 0 among them: everyone); a customer push to its audience and to connections
 * subscribed to that customer; any other push always.
 */
export function deliversToAgent(
  push: CustomerPushAudience,
  agent: { id: string; groupIds: readonly number[] },
  subscriptions: Pick<CustomerSubscriptions, 'covers'>,
): boolean {
  const groups = push.audienceGroupIds ?? [];
  if (groups.length > 0) {
    return groups.includes(0) || groups.some((group) => agent.groupIds.includes(group));
  }
  if (!push.customerId) return true;
  return push.audienceUserIds.includes(agent.id) || subscriptions.covers(push.customerId);
}
