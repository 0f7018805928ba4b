import type { JetStreamManager } from '@nats-io/jetstream';
import { Gauge, type Registry } from 'prom-client';

/** A durable consumer a service reads: its stream and its durable name. */
export interface ConsumerRef {
  stream: string;
  durable: string;
}

/**
 * Gauges of each durable consumer's lag, read from the server at every scrape: messages not yet
 * handed out (`pending`), handed out and not yet acknowledged (`ack_pending`), and redelivered.
 * Lag is the server's view, shared by every replica of the service, so each replica reports the
 * same figure: dashboards take `max` over replicas, not `sum`. A consumer the server does not
 * know (yet, or any more) reports nothing rather than failing the scrape.
 */
export function registerConsumerLag(
  registry: Registry,
  manager: Pick<JetStreamManager, 'consumers'>,
  consumers: readonly ConsumerRef[],
): void {
  const labelNames = ['stream', 'consumer'] as const;
  // prom-client collects the gauges one after the other: one read of the consumers serves the
  // three of a scrape, and a scrape within a second of it.
  let lastRead: { at: number; done: Promise<void> } | undefined;
  const collect = () => {
    if (!lastRead || Date.now() - lastRead.at > 1_000) {
      lastRead = { at: Date.now(), done: readAll() };
    }
    return lastRead.done;
  };
  const gauge = (name: string, help: string) =>
    new Gauge({ name, help, labelNames, registers: [registry], collect });
  const pending = gauge(
    'threadline_consumer_pending_messages',
    'Messages of the stream the durable consumer has not handed out yet',
  );
  const ackPending = gauge(
    'threadline_consumer_ack_pending_messages',
    'Messages handed out to the durable consumer and not yet acknowledged',
  );
  const redelivered = gauge(
    'threadline_consumer_redelivered_messages',
    'Messages handed out more than once and not yet acknowledged',
  );
  async function readAll(): Promise<void> {
    const infos = await Promise.all(
      consumers.map(({ stream, durable }) =>
        manager.consumers.info(stream, durable).catch(() => undefined),
      ),
    );
    for (const metric of [pending, ackPending, redelivered]) metric.reset();
    infos.forEach((info, index) => {
      if (!info) return;
      const { stream, durable } = consumers[index]!;
      const labels = { stream, consumer: durable };
      pending.set(labels, info.num_pending);
      ackPending.set(labels, info.num_ack_pending);
      redelivered.set(labels, info.num_redelivered);
    });
  }
}
