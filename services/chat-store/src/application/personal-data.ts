import type { BatchSealer, EventLog, ProjectionStore } from './ports.ts';

/**
 * The event log as the rest of chat-store sees it: plaintext batches in and out, while the stream
 * holds customers' personal data sealed with their keys.
 */
export function sealingEventLog(log: EventLog, sealer: BatchSealer): EventLog {
  return {
    ...log,
    append: async (batch, expectedSequence) =>
      log.append(await sealer.seal(batch), expectedSequence),
    async readChat(organizationId, chatId, afterSequence) {
      const stored = await log.readChat(organizationId, chatId, afterSequence);
      return Promise.all(
        stored.map(async ({ sequence, batch }) => ({ sequence, batch: await sealer.open(batch) })),
      );
    },
    async readAt(sequence) {
      const batch = await log.readAt(sequence);
      return batch && sealer.open(batch);
    },
  };
}

/**
 * Projections fold opened batches: whatever reads the stream (projector, rebuild, re-projection
 * after an erasure) hands them over sealed. A plaintext batch (the inline projection) opens as is.
 */
export function openingProjections<Store extends ProjectionStore>(
  store: Store,
  sealer: BatchSealer,
): Store {
  return { ...store, apply: async (batch) => store.apply(await sealer.open(batch)) };
}
