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
  await ensureStream(manager, {
    name: subjects.chatStream,
    subjects: [subjects.allChatEvents, subjects.allCustomerClaims],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    num_replicas: options.replicas,
    // Retried commands are absorbed by message id within this window.
    duplicate_window: 2 * 60 * 1_000_000_000,
    allow_direct: true,
  });
}

/**
 * Declares the stream of configuration changes (`<ns>.configuration.<organization>`): what the
 * Configuration API changed, for the webhook service and the router to consume durably. The
 * gateway publishes to it, so the gateway declares it. Changes are kept a week: consumers that
 * were down that long resynchronise from the accounts data rather than from the stream.
 */
export async function ensureConfigurationStream(
  manager: JetStreamManager,
  subjects: Subjects,
  options: StreamOptions,
): Promise<void> {
  await ensureStream(manager, {
    name: subjects.configurationStream,
    subjects: [subjects.allConfigurationChanges],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    num_replicas: options.replicas,
    max_age: 7 * 24 * 60 * 60 * 1_000_000_000,
    duplicate_window: 2 * 60 * 1_000_000_000,
  });
}

async function ensureStream(
  manager: JetStreamManager,
  config: Parameters<JetStreamManager['streams']['add']>[0] & { name: string },
): Promise<void> {
  try {
    await manager.streams.info(config.name);
    await manager.streams.update(config.name, config);
  } catch (error) {
    if (!isStreamNotFound(error)) throw error;
    try {
      await manager.streams.add(config);
    } catch (addError) {
      // Another replica created it between our info and add. NATS says so as "already in use"
      // or, when the two adds cross, "subjects overlap with an existing stream": either way the
      // stream is there now, which is all this declares.
      if (!(await streamExists(manager, config.name))) throw addError;
    }
  }
}

async function streamExists(manager: JetStreamManager, name: string): Promise<boolean> {
  try {
    await manager.streams.info(name);
    return true;
  } catch (error) {
    if (isStreamNotFound(error)) return false;
    throw error;
  }
}

function isStreamNotFound(error: unknown): boolean {
  return String(error).includes('stream not found');
}
