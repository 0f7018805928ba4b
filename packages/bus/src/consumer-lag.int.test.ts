import { uniqueNamespace } from '@threadline/testkit';
import { testInfrastructure } from '@threadline/testkit/testing';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bus, connectBus } from './connect.ts';
import { registerConsumerLag } from './consumer-lag.ts';
import { ensureDurableConsumer } from './consumers.ts';

describe('registerConsumerLag over real JetStream', () => {
  let bus: Bus;
  const namespace = uniqueNamespace('lag');
  const stream = `${namespace.toUpperCase()}_LAG`;
  const durable = 'lag-reader';

  beforeAll(async () => {
    bus = await connectBus({ url: testInfrastructure().natsUrl, name: 'consumer-lag-test' });
    await bus.manager.streams.add({ name: stream, subjects: [`${namespace}.>`] });
    await ensureDurableConsumer(bus.manager, {
      stream,
      durable,
      filterSubject: `${namespace}.>`,
    });
  });

  afterAll(async () => {
    await bus.manager.streams.delete(stream).catch(() => undefined);
    await bus.connection.drain();
  });

  /** The scraped value of a gauge for one consumer, or undefined when it has no sample. */
  async function scraped(registry: Registry, name: string, consumer = durable) {
    const metric = await registry.getSingleMetric(name)?.get();
    return metric?.values.find((value) => value.labels.consumer === consumer)?.value;
  }

  it('reports what the consumer has not been handed and has not acknowledged, at each scrape', async () => {
    const registry = new Registry();
    registerConsumerLag(registry, bus.manager, [
      { stream, durable },
      { stream, durable: 'never-created' },
    ]);
    const encoder = new TextEncoder();
    for (let index = 0; index < 5; index += 1)
      await bus.jetstream.publish(`${namespace}.event`, encoder.encode(String(index)));

    expect(await scraped(registry, 'threadline_consumer_pending_messages')).toBe(5);
    expect(await scraped(registry, 'threadline_consumer_ack_pending_messages')).toBe(0);
    // A consumer the server does not know reports nothing rather than failing the scrape.
    expect(
      await scraped(registry, 'threadline_consumer_pending_messages', 'never-created'),
    ).toBeUndefined();

    const consumer = await bus.jetstream.consumers.get(stream, durable);
    const fetched = await consumer.fetch({ max_messages: 3, expires: 1_000 });
    const held = [];
    for await (const message of fetched) held.push(message);
    expect(held).toHaveLength(3);
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // past the shared read's second
    expect(await scraped(registry, 'threadline_consumer_pending_messages')).toBe(2);
    expect(await scraped(registry, 'threadline_consumer_ack_pending_messages')).toBe(3);

    for (const message of held) await message.ackAck();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await scraped(registry, 'threadline_consumer_ack_pending_messages')).toBe(0);
    expect(await registry.metrics()).toContain(
      `threadline_consumer_pending_messages{stream="${stream}",consumer="${durable}"} 2`,
    );
  });
});
