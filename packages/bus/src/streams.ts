import {
  DiscardPolicy,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import type { Subjects } from './subjects.ts';

export interface StreamOptions {
  /** 1 on a single server, 3 in a cluster. */
  replicas: number;
}

/**
 * Declares the chat event stream, idempotently. Only features NATS 2.9 has are used (single filter
 * subjects, expected-last-subject-sequence, Nats-Msg-Id de-duplication), so the same code runs on
 * Debian's nats-server and on a current cluster.
 */
export async function ensureStreams(
  manager: JetStreamManager,
  subjects: Subjects,
  options: StreamOptions,
): Promise<void> {
  const config = {
    name: subjects.chatStream,
    subjects: [subjects.allChatEvents, subjects.allCustomerClaims],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    num_replicas: options.replicas,
    // Retried commands are absorbed by message id within this window.
    duplicate_window: 2 * 60 * 1_000_000_000,
    allow_direct: true,
  };
  try {
    await manager.streams.info(config.name);
    await manager.streams.update(config.name, config);
  } catch (error) {
    if (!isStreamNotFound(error)) throw error;
    try {
      await manager.streams.add(config);
    } catch (addError) {
      // Another replica created it between our info and add.
      if (!String(addError).includes('already in use')) throw addError;
    }
  }
}

function isStreamNotFound(error: unknown): boolean {
  return String(error).includes('stream not found');
}
