import { type Consumer, DeliverPolicy, type JsMsg, type MsgRequest } from '@nats-io/jetstream';
import type { Bus, Subjects } from '@threadline/bus';
import type { ChatBatch } from '../../application/ports.ts';
import { decodeBatch } from './batch-codec.ts';

/**
 * Stream sequences, both inclusive; `from` defaults to the first, `to` to the stream's tail.
 * `subject` narrows to some chats (one chat's subject), every chat's by default.
 */
export interface ReplayRange {
  from?: number;
  to?: number;
  subject?: string;
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
export function replayChatBatches(
  bus: Bus,
  subjects: Subjects,
  apply: (batch: ChatBatch) => Promise<unknown>,
  range: ReplayRange = {},
): Promise<Replayed> {
  return replayChatBatchChunks(
    bus,
    subjects,
    async (batches) => {
      for (const batch of batches) await apply(batch);
    },
    range,
  );
}

/**
 * `replayChatBatches` a fetch at a time: `apply` gets the batches of each fetch (up to
 * `fetchSize`, in stream order) together, for a reader that works on many at once.
 */
export async function replayChatBatchChunks(
  bus: Bus,
  subjects: Subjects,
  apply: (batches: ChatBatch[]) => Promise<unknown>,
  range: ReplayRange = {},
  fetchSize = 500,
): Promise<Replayed> {
  const from = range.from ?? 1;
  const to = range.to ?? (await chatStreamTail(bus, subjects));
  const subject = range.subject ?? subjects.allChatEvents;
  const replayed: Replayed = { batches: 0, lastSequence: 0 };
  // The server's message get takes `next_by_subj` (the first match at or after `seq`); nats.js
  // types it for direct gets only.
  const firstInRange = { seq: from, next_by_subj: subject } as MsgRequest;
  const first = await bus.manager.streams.getMessage(subjects.chatStream, firstInRange);
  if (!first || first.seq > to) return replayed;
  const consumer = await bus.jetstream.consumers.get(subjects.chatStream, {
    filter_subjects: subject,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: first.seq,
  });
  try {
    // The range holds a batch, so the loop ends on a message: an empty fetch only means a slow
    // server (stopping there would lose the rest of the range), up to `stalledAfterMs`.
    let lastProgress = Date.now();
    let fetching = fetchUpTo(consumer, to, fetchSize);
    for (;;) {
      const { received, done } = await fetching;
      // The next fetch runs while this one is applied (one fetch at a time, each read to its
      // end by fetchUpTo itself, so applying never holds the consumer up).
      if (!done) {
        fetching = fetchUpTo(consumer, to, fetchSize);
        fetching.catch(() => undefined);
      }
      if (received.length) {
        await apply(received.map((message) => decodeBatch(message.data)));
        replayed.batches += received.length;
        replayed.lastSequence = received.at(-1)!.seq;
        lastProgress = Date.now();
      }
      if (done) return replayed;
      if (Date.now() - lastProgress > stalledAfterMs)
        throw new Error(`chat stream replay stalled after sequence ${replayed.lastSequence}`);
    }
  } finally {
    await consumer.delete().catch(() => undefined);
  }
}

/**
 * One fetch, read to its end before anything is applied: applying while the fetch runs can
 * outlast its heartbeats, and the ordered consumer then starts again after the last message it
 * received, dropping those not yet handed over (seen under load: 30 batches of 10 000 lost).
 */
async function fetchUpTo(
  consumer: Consumer,
  to: number,
  size: number,
): Promise<{ received: JsMsg[]; done: boolean }> {
  const received: JsMsg[] = [];
  const messages = await consumer.fetch({ max_messages: size, expires: 2_000 });
  for await (const message of messages) {
    if (message.seq > to) return { received, done: true };
    received.push(message);
    if (message.seq === to || message.info.pending === 0) return { received, done: true };
  }
  return { received, done: false };
}

const stalledAfterMs = 60_000;

/** The sequence of the last message the chat stream holds (0 when empty). */
export async function chatStreamTail(bus: Bus, subjects: Subjects): Promise<number> {
  const info = await bus.manager.streams.info(subjects.chatStream);
  return info.state.last_seq;
}
