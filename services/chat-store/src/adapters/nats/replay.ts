import { DeliverPolicy } from '@nats-io/jetstream';
import type { Bus, Subjects } from '@threadline/bus';
import type { ChatBatch } from '../../application/ports.ts';
import { decodeBatch } from './batch-codec.ts';

/**
 * Reads every chat batch in the stream, in stream order (so each chat's versions come in order),
 * with an ephemeral ordered consumer. Returns how many batches it handed to `apply`.
 */
export async function replayChatBatches(
  bus: Bus,
  subjects: Subjects,
  apply: (batch: ChatBatch) => Promise<unknown>,
): Promise<number> {
  const consumer = await bus.jetstream.consumers.get(subjects.chatStream, {
    filter_subjects: subjects.allChatEvents,
    deliver_policy: DeliverPolicy.All,
  });
  let replayed = 0;
  try {
    for (;;) {
      const messages = await consumer.fetch({ max_messages: 500, expires: 1_000 });
      let received = 0;
      let caughtUp = false;
      for await (const message of messages) {
        received++;
        await apply(decodeBatch(message.data));
        replayed++;
        caughtUp = message.info.pending === 0;
        if (caughtUp) break;
      }
      if (caughtUp || received === 0) return replayed;
    }
  } finally {
    await consumer.delete().catch(() => undefined);
  }
}
