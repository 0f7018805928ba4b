import {
  type Bus,
  type DurableConsumerLoop,
  ensureDurableConsumer,
  runDurableConsumer,
} from '@threadline/bus';
import type { Logger } from '@threadline/runtime';

type StreamMessage = Parameters<Parameters<typeof runDurableConsumer>[1]['handle']>[0];

/**
 * A durable consumer shared by every webhook replica that reads each message into a fan-out input
 * and fans it out to the outbox, acking only after the outbox insert committed. A message that
 * cannot be read is terminated: retrying cannot make it readable, and it must not block the rest.
 */
export async function startFanOutConsumer<Input>(options: {
  bus: Bus;
  stream: string;
  durable: string;
  filterSubject: string;
  /** What the stream holds, for log lines ("chat event batch", "configuration change"). */
  what: string;
  read: (message: StreamMessage) => Input;
  fanOut: (input: Input) => Promise<number>;
  logger: Logger;
  onFannedOut: (enqueued: number) => void;
}): Promise<DurableConsumerLoop> {
  const { bus, stream, durable, logger, what } = options;
  await ensureDurableConsumer(bus.manager, {
    stream,
    durable,
    filterSubject: options.filterSubject,
  });
  return runDurableConsumer(bus.jetstream, {
    stream,
    durable,
    handle: async (message) => {
      let input: Input;
      try {
        input = options.read(message);
      } catch (error) {
        logger.error({ err: error, subject: message.subject }, `unreadable ${what}`);
        return { type: 'term', reason: `unreadable ${what}` };
      }
      options.onFannedOut(await options.fanOut(input));
      return { type: 'ack' };
    },
    onError: (error, message) =>
      logger.error({ err: error, subject: message?.subject }, `fanning out a ${what} failed`),
  });
}

/** Parses a payload that must be a JSON object; throws otherwise. */
export function parseJsonObject(text: string): Record<string, unknown> {
  const payload = parseJsonPayload(text);
  if (Array.isArray(payload)) throw new Error('payload is not a JSON object');
  return payload;
}

/**
 * Parses a payload that must be a JSON object or array (a push's payload is an array where
 * LiveChat's is: `auto_accesses_updated`); throws otherwise.
 */
export function parseJsonPayload(text: string): Record<string, unknown> | unknown[] {
  const payload: unknown = JSON.parse(text || '{}');
  if (typeof payload !== 'object' || payload === null) {
    throw new Error('payload is not a JSON object or array');
  }
  return payload as Record<string, unknown> | unknown[];
}
