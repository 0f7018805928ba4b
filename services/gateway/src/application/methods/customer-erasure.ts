import {
  eraseCustomer,
  erasureView,
  listCustomerErasures,
  type ShreddedChats,
} from '@threadline/accounts';
import { ProtocolError } from '@threadline/protocol';
import { handle, requireManager } from './configuration-support.ts';
import type { LocalMethodDependencies, LocalMethods } from './local-method.ts';
import { agentRequester, callService } from './service-calls.ts';

/** Re-projecting a customer's chats takes longer than a read: one chat's stream per chat. */
const erasureTimeoutMs = 60_000;

/**
 * Threadline's erasure extension (docs/erasure.md): `erase_customer` crypto-shreds a customer of
 * the caller's organization through chat-store, then anonymizes their accounts record and writes
 * the audit; `list_customer_erasures` reads the audit. Managers only.
 */
export function createCustomerErasureMethods(
  dependencies: Pick<LocalMethodDependencies, 'db' | 'services' | 'subjects'>,
): LocalMethods {
  const { db, subjects } = dependencies;
  return {
    erase_customer: handle<'erase_customer'>(async ({ customer_id }, caller) => {
      requireManager(caller);
      const request = {
        organizationId: caller.organizationId,
        customerId: customer_id,
        erasedBy: caller.userId,
        erasedByType: caller.userType,
      };
      const shred = async () =>
        (await callService(
          dependencies,
          subjects.chatStoreExecute,
          'erase_customer',
          { customer_id },
          agentRequester(caller),
          { timeoutMs: erasureTimeoutMs },
        )) as ShreddedChats;
      const erasure = await eraseCustomer(db, request, shred);
      if (!erasure) throw new ProtocolError('not_found', `Customer ${customer_id} does not exist`);
      return erasureView(erasure);
    }),

    list_customer_erasures: handle<'list_customer_erasures'>(async (_payload, caller) => {
      requireManager(caller);
      const erasures = await listCustomerErasures(db, caller.organizationId);
      return { erasures: erasures.map(erasureView) };
    }),
  };
}
