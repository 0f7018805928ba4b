import {
  eraseCustomer,
  erasureView,
  listCustomerErasures,
  type ShreddedChats,
} from '@threadline/accounts';
import type { Command } from './command.ts';
import { requiredString } from './options.ts';
import { operatorId } from './services.ts';

/**
 * Erases a customer's personal data (docs/erasure.md): chat-store destroys their key and
 * re-projects their chats, then their accounts record is anonymized and the audit written.
 * Answers the audit record (ids and counts, never the data).
 */
export const customersErase: Command = {
  name: 'customers erase',
  usage: 'customers erase --organization ID --customer ID',
  options: { organization: { type: 'string' }, customer: { type: 'string' } },
  async run(db, values, services) {
    const organizationId = requiredString(values, 'organization');
    const customerId = requiredString(values, 'customer');
    const request = { organizationId, customerId, erasedBy: operatorId, erasedByType: 'system' };
    const erasure = await eraseCustomer(
      db,
      request,
      async () =>
        (await services.chatStore(organizationId, 'erase_customer', {
          customer_id: customerId,
        })) as ShreddedChats,
    );
    if (!erasure) throw new Error(`No customer ${customerId} in organization ${organizationId}`);
    return erasureView(erasure);
  },
};

/** The organization's erasure audit, newest first. */
export const customersErasures: Command = {
  name: 'customers erasures',
  usage: 'customers erasures --organization ID',
  options: { organization: { type: 'string' } },
  async run(db, values) {
    const erasures = await listCustomerErasures(db, requiredString(values, 'organization'));
    return { erasures: erasures.map(erasureView) };
  },
};
