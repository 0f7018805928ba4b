import { type Bus, publishConfigurationChange, type Subjects } from '@threadline/bus';
import { ConfigurationChange, type Requester } from '@threadline/contracts';
import type { ErasureResult } from '../../application/erasure.ts';

/** Configuration change action telling other services a customer was erased. */
export const customerErasedAction = 'customer_erased';

/**
 * Records the erasure on the configuration stream (`customer_erased` {customer_id, chat_ids}),
 * where the webhook service redacts its delivery log. The change id names the customer, so a
 * repeated erasure within the duplicate window is absorbed.
 */
export function createErasureAnnouncer(bus: Bus, subjects: Subjects) {
  return async (requester: Requester, result: ErasureResult): Promise<void> => {
    const organizationId = requester.organizationId;
    const change = ConfigurationChange.fromPartial({
      changeId: `${customerErasedAction}:${organizationId}:${result.customer_id}`,
      organizationId,
      action: customerErasedAction,
      payloadJson: JSON.stringify({ customer_id: result.customer_id, chat_ids: result.chat_ids }),
      requester,
      occurredAt: new Date().toISOString(),
    });
    await publishConfigurationChange(bus.jetstream, subjects, change);
  };
}
