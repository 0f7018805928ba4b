import { type KeyRing, openPersonalData, sealPersonalData } from '@threadline/personal-data';
import type { BatchSealer, ChatBatch } from '../../application/ports.ts';

/**
 * Seals what a batch carries of its customers (requester, events' data, notifications' payloads)
 * with `@threadline/personal-data`; the batch's ids, version and command id stay in the clear.
 */
export function createBatchSealer(ring: KeyRing): BatchSealer {
  return {
    async seal(batch) {
      const sealed = await sealPersonalData(
        ring,
        batch.organizationId,
        personal(batch),
        batch.customerIds,
      );
      return { ...batch, ...sealed };
    },
    async open(batch) {
      return { ...batch, ...(await openPersonalData(ring, batch.organizationId, personal(batch))) };
    },
    isErased: (organizationId, customerId) => ring.isErased(organizationId, customerId),
  };
}

function personal({ requester, events, notifications }: ChatBatch) {
  return { requester, events, notifications };
}
