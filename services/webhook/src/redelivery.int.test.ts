import { createLogger } from '@threadline/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import {
  aMessageBatch,
  type Cluster,
  newOrganizationId,
  publishBatch,
  registerEnabled,
  startCluster,
  startReceiver,
  waitFor,
  waitForConsumerIdle,
} from '../test/harness.ts';
import { webhookConsumerName } from './adapters/nats/batch-consumer.ts';
import { loadConfig } from './config.ts';
import { startWebhookService } from './service.ts';

let cluster: Cluster | undefined;

afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

describe('webhook service restarts', () => {
  it('absorbs batches delivered again after the consumer starts over', async () => {
    cluster = await startCluster();
    const receiver = await startReceiver();
    const organizationId = newOrganizationId();
    const id = await registerEnabled(cluster, organizationId, { url: receiver.url });
    await publishBatch(cluster, aMessageBatch(organizationId));
    await waitFor(() => receiver.received.length === 1, 'the first delivery');

    // Lose every acknowledgement: stop the replicas and start the consumer over from the first
    // message, as after a consumer reset. The same stream messages are handled a second time.
    for (const service of cluster.services.splice(0)) await service.stop();
    await cluster.bus.manager.consumers.delete(cluster.subjects.chatStream, webhookConsumerName);
    cluster.services.push(await cluster.startReplica());
    await publishBatch(cluster, aMessageBatch(organizationId));

    await waitFor(() => receiver.received.length === 2, 'the new batch');
    await waitForConsumerIdle(cluster);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received).toHaveLength(2);
    const rows = await cluster.db
      .selectFrom('deliveries')
      .select('id')
      .where('registration_id', '=', id)
      .execute();
    expect(rows).toHaveLength(2);
    await receiver.close();
  });

  it('finishes the deliveries in flight before stopping', async () => {
    cluster = await startCluster({ WEBHOOK_DELIVERY_TIMEOUT_MS: '5000' });
    const slow = await startReceiver(() => ({ status: 200, afterMs: 400 }));
    const organizationId = newOrganizationId();
    const id = await registerEnabled(cluster, organizationId, { url: slow.url });
    await publishBatch(cluster, aMessageBatch(organizationId));
    await waitFor(() => slow.received.length === 1, 'the delivery to be in flight');

    await Promise.all(cluster.services.splice(0).map((service) => service.stop()));
    const [row] = await cluster.db
      .selectFrom('deliveries')
      .selectAll()
      .where('registration_id', '=', id)
      .execute();
    expect(row).toMatchObject({ status: 'delivered', attempts: 1 });
    await slow.close();
  });

  it('refuses loopback once the operator no longer allows it, at registration and at send time', async () => {
    cluster = await startCluster();
    const receiver = await startReceiver();
    const organizationId = newOrganizationId();
    // Registered while the harness allowed loopback…
    const id = await registerEnabled(cluster, organizationId, { url: receiver.url });
    // …then every replica restarts without WEBHOOK_ALLOWED_NETWORKS.
    await Promise.all(cluster.services.splice(0).map((service) => service.stop()));
    const config = loadConfig({ ...cluster.environment, WEBHOOK_ALLOWED_NETWORKS: '' });
    cluster.services.push(await startWebhookService(config, createLogger('webhook', 'silent')));

    await expect(
      registerEnabled(cluster, organizationId, { url: receiver.url }),
    ).rejects.toMatchObject({
      type: 'validation',
      message: 'Webhook url is not allowed: 127.0.0.1 is loopback',
    });
    await publishBatch(cluster, aMessageBatch(organizationId));
    const delivery = () =>
      cluster!.db
        .selectFrom('deliveries')
        .selectAll()
        .where('registration_id', '=', id)
        .executeTakeFirst();
    await waitFor(async () => (await delivery())?.status === 'dead', 'the delivery to die');
    // Nothing reached the receiver; every attempt failed the same way (retried, as DNS answers
    // can change back, and no request leaves for a refused address).
    expect(await delivery()).toMatchObject({
      attempts: 4,
      last_error: 'address not allowed: 127.0.0.1 is loopback',
    });
    expect(receiver.received).toHaveLength(0);
    await receiver.close();
  });
});
