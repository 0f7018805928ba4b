import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import { publishTraced } from './trace-headers.ts';

/** A customer was erased: every replica drops what it caches of them (keys, aggregates). */
export interface ErasureNotice {
  organizationId: string;
  customerId: string;
  chatIds: string[];
}

/**
 * Tells every replica of every service at once (core NATS, no queue group). Best effort: a replica
 * that misses it is bounded by its key cache's lifetime (docs/erasure.md).
 */
export function publishErasureNotice(
  connection: NatsConnection,
  subject: string,
  notice: ErasureNotice,
): void {
  publishTraced(connection, subject, JSON.stringify(notice));
}

/** Calls `onNotice` for each erasure announced; a malformed message is ignored. */
export function subscribeToErasureNotices(
  connection: NatsConnection,
  subject: string,
  onNotice: (notice: ErasureNotice) => void,
): Subscription {
  return connection.subscribe(subject, {
    callback: (error, message) => {
      if (error) return;
      try {
        const notice = message.json<ErasureNotice>();
        if (typeof notice.organizationId === 'string' && typeof notice.customerId === 'string')
          onNotice({ ...notice, chatIds: Array.isArray(notice.chatIds) ? notice.chatIds : [] });
      } catch {
        // Not JSON: not a notice of ours.
      }
    },
  });
}
