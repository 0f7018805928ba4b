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
    /**
     * Opens many batches with one key lookup per organization: opened one by one, each
     * customer's first batch would wait for a query of its own.
     */
    async openAll(batches) {
      const byOrganization = new Map<string, ChatBatch[]>();
      for (const batch of batches) {
        const list = byOrganization.get(batch.organizationId);
        if (list) list.push(batch);
        else byOrganization.set(batch.organizationId, [batch]);
      }
      const opened = new Map<ChatBatch, ChatBatch>();
      for (const [organizationId, ofOrganization] of byOrganization) {
        const personalData = await openPersonalData(
          ring,
          organizationId,
          ofOrganization.map(personal),
        );
        ofOrganization.forEach((batch, index) => {
          opened.set(batch, { ...batch, ...personalData[index] });
        });
      }
      return batches.map((batch) => opened.get(batch)!);
    },
    isErased: (organizationId, customerId) => ring.isErased(organizationId, customerId),
  };
}

function personal({ requester, events, notifications }: ChatBatch) {
  return { requester, events, notifications };
}
