import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { type Bus, inConsumerSpan, type Subjects } from '@threadline/bus';
import type { Logger } from '@threadline/runtime';
import type { ChatBatch, ProjectionOutcome, ProjectionStore } from '../../application/ports.ts';
import { CorruptBatchError, decodeBatch } from './batch-codec.ts';

export const projectorDurableName = 'chat-store-projector';

const gapRetryMs = 1_000;
const failureRetryMs = 2_000;

export interface ProjectorOptions {
  bus: Bus;
  subjects: Subjects;
  store: ProjectionStore;
  logger: Logger;
  onOutcome?: (outcome: ProjectionOutcome | 'failed' | 'corrupt') => void;
}

/**
 * The guarantee behind the projections: a durable pull consumer over every chat's batches, shared
 * by all replicas, acking each batch only after its transaction commits. A batch that arrives
 * before an earlier one of its chat (another replica holds that one) is naked with a delay and
 * comes back once the earlier one is in.
 */
export async function startProjector(
  options: ProjectorOptions,
): Promise<{ stop(): Promise<void> }> {
  const { bus, subjects, logger } = options;
  await ensureConsumer(bus.manager, subjects);
  const consumer = await bus.jetstream.consumers.get(subjects.chatStream, projectorDurableName);
  const messages = await consumer.consume({ max_messages: 100 });
  const loop = (async () => {
    for await (const message of messages) {
      await inConsumerSpan(`process ${projectorDurableName}`, message, () =>
        handle(message, options),
      );
    }
  })().catch((error: unknown) => logger.error({ err: error }, 'projector stopped unexpectedly'));
  return {
    async stop() {
      await messages.close();
      await loop;
    },
  };
}

async function handle(message: JsMsg, options: ProjectorOptions): Promise<void> {
  const { logger, onOutcome } = options;
  let outcome: ProjectionOutcome;
  try {
    outcome = await applyUnlessProjected(options.store, decodeBatch(message.data));
  } catch (error) {
    if (error instanceof CorruptBatchError) {
      logger.error({ err: error, sequence: message.seq }, 'corrupt chat event batch skipped');
      message.term();
      onOutcome?.('corrupt');
      return;
    }
    logger.warn({ err: error, sequence: message.seq }, 'projection failed; retrying');
    message.nak(failureRetryMs);
    onOutcome?.('failed');
    return;
  }
  if (outcome === 'gap') message.nak(gapRetryMs);
  else message.ack();
  onOutcome?.(outcome);
}

/**
 * Most batches reach the projector after the inline projection of the replica that appended them
 * applied them: one unlocked read of the chat's version skips those without opening their sealed
 * data or holding a transaction (three round trips).
 */
async function applyUnlessProjected(
  store: ProjectionStore,
  batch: ChatBatch,
): Promise<ProjectionOutcome> {
  const projected = await store.projectedVersion(batch.organizationId, batch.chatId);
  return batch.version <= projected ? 'skipped' : store.apply(batch);
}

/** Declares the durable consumer, idempotently (replicas starting together race here). */
async function ensureConsumer(manager: JetStreamManager, subjects: Subjects): Promise<void> {
  try {
    await manager.consumers.info(subjects.chatStream, projectorDurableName);
    return;
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound))
      throw error;
  }
  try {
    await manager.consumers.add(subjects.chatStream, {
      durable_name: projectorDurableName,
      filter_subject: subjects.allChatEvents,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: 30 * 1_000_000_000,
      max_ack_pending: 1_000,
    });
  } catch (error) {
    if (!String(error).includes('already')) throw error;
  }
}

/**
 * The stream sequence below which the projector has applied every batch (it acks after the
 * commit); 0 when it never ran.
 */
export async function projectorAckFloor(bus: Bus, subjects: Subjects): Promise<number> {
  try {
    const info = await bus.manager.consumers.info(subjects.chatStream, projectorDurableName);
    return info.ack_floor.stream_seq;
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound)
      return 0;
    throw error;
  }
}
