import { DeliverPolicy, type JetStreamClient } from '@nats-io/jetstream';

/**
 * Every message a stream holds on `subject` (wildcards allowed), in stream order, through a
 * throwaway ordered consumer. For tests and tools that inspect what was appended. A fetch can
 * come back empty while messages are still pending (a busy machine misses the fetch's
 * heartbeats), so an empty fetch ends the read only when the consumer has nothing left.
 */
export async function readSubject(
  jetstream: JetStreamClient,
  stream: string,
  subject: string,
): Promise<{ data: Uint8Array; sequence: number }[]> {
  const consumer = await jetstream.consumers.get(stream, {
    filter_subjects: subject,
    deliver_policy: DeliverPolicy.All,
  });
  const read: { data: Uint8Array; sequence: number }[] = [];
  let deadline = Date.now() + 60_000;
  try {
    for (;;) {
      const messages = await consumer.fetch({ max_messages: 1000, expires: 1000 });
      let received = 0;
      for await (const message of messages) {
        received += 1;
        read.push({ data: message.data, sequence: message.seq });
        if (message.info.pending === 0) return read;
      }
      if (received > 0) {
        deadline = Date.now() + 60_000;
        continue;
      }
      if ((await consumer.info()).num_pending === 0) return read;
      if (Date.now() > deadline) throw new Error(`reading ${subject} made no progress for 60 s`);
    }
  } finally {
    await consumer.delete().catch(() => undefined);
  }
}
