import { DeliverPolicy, type JetStreamClient } from '@nats-io/jetstream';

/**
 * Every message a stream holds on `subject` (wildcards allowed), in stream order, through a
 * throwaway ordered consumer. For tests and tools that inspect what was appended.
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
  try {
    for (;;) {
      const messages = await consumer.fetch({ max_messages: 1000, expires: 1000 });
      let received = 0;
      for await (const message of messages) {
        received += 1;
        read.push({ data: message.data, sequence: message.seq });
        if (message.info.pending === 0) return read;
      }
      if (received === 0) return read;
    }
  } finally {
    await consumer.delete().catch(() => undefined);
  }
}
