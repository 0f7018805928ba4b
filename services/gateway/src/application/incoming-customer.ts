import type { Customer, Identity } from '@threadline/accounts';
import { agentCustomerView } from '../domain/customer-views.ts';
import type { ConfigurationChanges } from './configuration-changes.ts';

const noStatistics = { chatIds: [], activeChatIds: [], threadsCount: 0 };

/**
 * A customer the gateway just created (a first cookie grant, an `agent_token` grant without
 * `entity_id`, 3.5's `create_customer`) is LiveChat 3.5's `incoming_customer` webhook, whose
 * payload is the agent push's Customer. Customers live in the gateway's accounts, so it records
 * the change on the configuration stream for the webhook service, in the core form (`visit`; 3.5
 * registrations get `last_visit`), without the organization-wide push: agents are not told of
 * every new visitor.
 */
export async function recordIncomingCustomer(
  changes: ConfigurationChanges,
  requester: Identity,
  customer: Customer,
): Promise<void> {
  const statistics = { ...noStatistics, greetings: { shown: 0, accepted: 0 } };
  await changes.announce(
    requester,
    'incoming_customer',
    agentCustomerView(customer, statistics, false),
    { push: false },
  );
}
