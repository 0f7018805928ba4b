import { DeliverPolicy } from '@nats-io/jetstream';
import type { Bus, Subjects } from '@threadline/bus';
import type { ChatBatch } from '../../application/ports.ts';
import { decodeBatch } from './batch-codec.ts';

/** Stream sequences, both inclusive; `from` defaults to the first, `to` to the stream's tail. */
export interface ReplayRange {
  from?: number;
  to?: number;
}

export interface Replayed {
  batches: number;
  /** The stream sequence of the last batch handed over (0 when none was). */
  lastSequence: number;
}

/**
 * Reads the chat batches of a range of the stream, in stream order (so each chat's versions
 * come in order), with an ephemeral ordered consumer, and hands each to `apply` in turn.
 */
export async function replayChatBatches(
  bus: Bus,
  subjects: Subjects,
  apply: (batch: ChatBatch) => Promise<unknown>,
  range: ReplayRange = {},
): Promise<Replayed> {
  const from = range.from ?? 1;
  const to = range.to ?? (await chatStreamTail(bus, subjects));
  const replayed: Replayed = { batches: 0, lastSequence: 0 };
  // An empty range would otherwise wait out a fetch's expiry.
  if (from > to) return replayed;
  const consumer = await bus.jetstream.consumers.get(subjects.chatStream, {
    filter_subjects: subjects.allChatEvents,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: from,
  });
  try {
    for (;;) {
      const messages = await consumer.fetch({ max_messages: 500, expires: 1_000 });
      let received = 0;
      let done = false;
      for await (const message of messages) {
        received++;
        if (message.seq > to) done = true;
        else {
          await apply(decodeBatch(message.data));
          replayed.batches++;
          replayed.lastSequence = message.seq;
          done = message.seq === to || message.info.pending === 0;
        }
        if (done) break;
      }
      if (done || received === 0) return replayed;
    }
  } finally {
    await consumer.delete().catch(() => undefined);
  }
}

/** The sequence of the last message the chat stream holds (0 when empty). */
export async function chatStreamTail(bus: Bus, subjects: Subjects): Promise<number> {
  const info = await bus.manager.streams.info(subjects.chatStream);
  return info.state.last_seq;
}
