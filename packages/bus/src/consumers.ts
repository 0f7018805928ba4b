import {
  AckPolicy,
  type ConsumerMessages,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { inConsumerSpan } from './trace-headers.ts';

export interface DurableConsumerOptions {
  stream: string;
  /** Shared by every replica of a service: the server hands each message to one of them. */
  durable: string;
  /** NATS 2.9 allows one filter subject per consumer. */
  filterSubject: string;
  /** How long a replica may hold a message before the server redelivers it. Default 30 s. */
  ackWaitMs?: number;
  /** Messages handed out and not yet acknowledged, across replicas. Default 1000. */
  maxAckPending?: number;
}

/**
 * Declares a durable pull consumer, idempotently: created when missing, updated when present, so
 * replicas starting together and redeployments with new settings both converge. Delivery starts
 * at the beginning of the stream, so nothing appended before the first start is missed.
 */
export async function ensureDurableConsumer(
  manager: JetStreamManager,
  options: DurableConsumerOptions,
): Promise<void> {
  const settings = {
    ack_wait: nanos(options.ackWaitMs ?? 30_000),
    max_ack_pending: options.maxAckPending ?? 1000,
  };
  try {
    await manager.consumers.info(options.stream, options.durable);
    await manager.consumers.update(options.stream, options.durable, settings);
    return;
  } catch (error) {
    if (!String(error).includes('consumer not found')) throw error;
  }
  try {
    await manager.consumers.add(options.stream, {
      ...settings,
      durable_name: options.durable,
      filter_subject: options.filterSubject,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
    });
  } catch (error) {
    // Another replica created it between our info and add.
    if (!String(error).includes('already exists')) throw error;
  }
}

/** What became of one message: acknowledged, redelivered after a delay, or dropped for good. */
export type MessageOutcome =
  | { type: 'ack' }
  | { type: 'nak'; delayMs: number }
  | { type: 'term'; reason: string };

export interface DurableConsumerLoop {
  /** Stops taking messages and waits for the one in hand to finish; the rest are redelivered. */
  stop(): Promise<void>;
  /** False once the loop has ended (stopped, or the consumer went away). */
  readonly running: boolean;
}

/**
 * Processes a durable consumer's messages one at a time and settles each with the outcome its
 * handler returns, so a message is acknowledged only after its side effects are done. A handler
 * that throws gets its message redelivered with a growing delay (`retryDelayMs`) rather than
 * stopping the loop.
 */
export async function runDurableConsumer(
  jetstream: JetStreamClient,
  options: {
    stream: string;
    durable: string;
    handle: (message: JsMsg) => Promise<MessageOutcome>;
    /** A handler that threw (with its message), or the subscription itself failing (without). */
    onError: (error: unknown, message: JsMsg | undefined) => void;
    retryDelayMs?: (deliveryCount: number) => number;
  },
): Promise<DurableConsumerLoop> {
  const consumer = await jetstream.consumers.get(options.stream, options.durable);
  const messages: ConsumerMessages = await consumer.consume({ max_messages: 64 });
  const retryDelayMs = options.retryDelayMs ?? defaultRetryDelayMs;
  let running = true;
  const loop = (async () => {
    for await (const message of messages) {
      settle(message, await handleSafely(message));
    }
  })()
    .catch((error: unknown) => options.onError(error, undefined))
    .finally(() => {
      running = false;
    });

  function handleSafely(message: JsMsg): Promise<MessageOutcome> {
    return inConsumerSpan(
      `process ${options.durable}`,
      message,
      async (span): Promise<MessageOutcome> => {
        span.setAttribute('messaging.consumer.group.name', options.durable);
        try {
          return await options.handle(message);
        } catch (error) {
          options.onError(error, message);
          return { type: 'nak', delayMs: retryDelayMs(message.info.deliveryCount) };
        }
      },
    );
  }

  return {
    async stop() {
      await messages.close();
      await loop;
    },
    get running() {
      return running;
    },
  };
}

function settle(message: JsMsg, outcome: MessageOutcome): void {
  switch (outcome.type) {
    case 'ack':
      message.ack();
      return;
    case 'nak':
      message.nak(outcome.delayMs);
      return;
    case 'term':
      message.term(outcome.reason);
      return;
    default: {
      const unknown: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(unknown)}`);
    }
  }
}

/** 1 s, 2 s, 4 s … capped at one minute: a dependency that is down is not hammered. */
function defaultRetryDelayMs(deliveryCount: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.max(0, deliveryCount - 1));
}
