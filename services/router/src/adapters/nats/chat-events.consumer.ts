import {
  type Bus,
  type DurableConsumerLoop,
  ensureDurableConsumer,
  runDurableConsumer,
  type Subjects,
} from '@threadline/bus';
import { ChatEventBatch } from '@threadline/contracts';
import type { Logger } from '@threadline/runtime';
import type { RoutingSignal } from '../../domain/routing-signal.ts';
import { readRoutingSignals } from './chat-events.mapping.ts';

/** One durable consumer shared by every replica: each batch is handled by one of them. */
export const routerDurable = 'router';

export type BatchHandler = (
  organizationId: string,
  signals: readonly RoutingSignal[],
) => Promise<'done' | 'retry'>;

/**
 * Consumes every chat's event batches. A batch is acknowledged only after what it asked for is
 * done (recorded, and delivered to chat-store); `retry` puts it back with a growing delay.
 */
export async function startChatEventsConsumer(options: {
  bus: Bus;
  subjects: Subjects;
  handle: BatchHandler;
  logger: Logger;
  onSettled: (outcome: 'ack' | 'nak' | 'term') => void;
  /** Every replica declares the same durable, so they must agree on this. */
  ackWaitMs: number;
}): Promise<DurableConsumerLoop> {
  const { bus, subjects, logger } = options;
  await ensureDurableConsumer(bus.manager, {
    stream: subjects.chatStream,
    durable: routerDurable,
    filterSubject: subjects.allChatEvents,
    ackWaitMs: options.ackWaitMs,
  });
  return runDurableConsumer(bus.jetstream, {
    stream: subjects.chatStream,
    durable: routerDurable,
    handle: async (message) => {
      let batch: ChatEventBatch;
      try {
        batch = ChatEventBatch.decode(message.data);
      } catch (error) {
        logger.error(
          { err: error, subject: message.subject, seq: message.seq },
          'undecodable chat event batch',
        );
        options.onSettled('term');
        return { type: 'term', reason: 'undecodable ChatEventBatch' };
      }
      const signals = readRoutingSignals(batch);
      const result =
        signals.length === 0 ? 'done' : await options.handle(batch.organizationId, signals);
      if (result === 'done') {
        options.onSettled('ack');
        return { type: 'ack' };
      }
      options.onSettled('nak');
      return { type: 'nak', delayMs: retryDelayMs(message.info.deliveryCount) };
    },
    onError: (error, message) => {
      if (message) options.onSettled('nak');
      logger.error(
        { err: error, subject: message?.subject },
        'chat event batch failed; redelivering later',
      );
    },
  });
}

/** 1 s, 2 s, 4 s … up to 30 s while chat-store is unreachable. */
function retryDelayMs(deliveryCount: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, deliveryCount - 1));
}
