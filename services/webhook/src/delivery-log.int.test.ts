import { WebhooksService } from '@threadline/contracts';
import { createGrpcClient } from '@threadline/grpc';
import { ProtocolError } from '@threadline/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import type { Receiver } from '../test/harness.ts';
import {
  aCommand,
  aMessageBatch,
  configure,
  newOrganizationId,
  publishBatch,
  registerEnabled,
  startCluster,
  startReceiver,
  waitFor,
} from '../test/harness.ts';

interface Attempt {
  attempt: number;
  started_at: string;
  duration_ms: number;
  outcome: string;
  status_code?: number;
  error?: string;
}

interface Delivery {
  id: string;
  action: string;
  status: string;
  created_at: string;
  attempts: number;
  attempts_log: Attempt[];
  payload?: unknown;
}

interface DeliveriesPage {
  deliveries: Delivery[];
  next_page_id?: string;
}

// One replica sending one webhook at a time, so the order deliveries are sent in is the order
// they arrive in (with more in flight, arrival order is the network's, as for live deliveries).
const cluster = await startCluster({ WEBHOOK_DELIVERY_CONCURRENCY: '1' });
await Promise.all(cluster.services.splice(1).map((service) => service.stop()));
afterAll(() => cluster.stop());

const owner = 'client-1';

function listDeliveries(organizationId: string, payload: Record<string, unknown>) {
  return configure(cluster, organizationId, 'list_webhook_deliveries', {
    owner_client_id: owner,
    ...payload,
  }) as Promise<DeliveriesPage>;
}

async function errorTypeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProtocolError);
  return (error as ProtocolError).type;
}

/** A webhook of a new organization whose receiver has had `count` messages delivered, one by one. */
async function aWebhookWithDeliveries(receiver: Receiver, count: number) {
  const organizationId = newOrganizationId();
  const webhookId = await registerEnabled(cluster, organizationId, { url: receiver.url });
  for (let index = 0; index < count; index += 1) {
    const before = receiver.received.length;
    await publishBatch(cluster, aMessageBatch(organizationId));
    await waitFor(() => receiver.received.length > before, 'a delivery');
  }
  await waitFor(async () => {
    const { deliveries } = await listDeliveries(organizationId, {
      webhook_id: webhookId,
      status: 'delivered',
    });
    return deliveries.length === count;
  }, 'the deliveries to be recorded');
  return { organizationId, webhookId };
}

const deliveryIdOf = (receiver: Receiver, index: number) =>
  receiver.received[index]?.headers['x-threadline-webhook-id'];

describe('list_webhook_deliveries', () => {
  it('shows a delivery that failed twice then succeeded, with status codes and latency', async () => {
    const receiver = await startReceiver((index) => ({
      status: index < 2 ? 503 : 200,
      afterMs: 40,
    }));
    const { organizationId, webhookId } = await aWebhookWithDeliveries(receiver, 1);

    const { deliveries } = await listDeliveries(organizationId, {
      webhook_id: webhookId,
      include_payload: true,
    });
    expect(deliveries).toHaveLength(1);
    const [delivery] = deliveries;
    expect(delivery).toMatchObject({
      id: deliveryIdOf(receiver, 0),
      action: 'incoming_event',
      status: 'delivered',
      attempts: 3,
      payload: { event: { type: 'message' } },
    });
    expect(delivery!.attempts_log.map((attempt) => [attempt.attempt, attempt.outcome])).toEqual([
      [1, 'retry'],
      [2, 'retry'],
      [3, 'delivered'],
    ]);
    expect(delivery!.attempts_log.map((attempt) => attempt.status_code)).toEqual([503, 503, 200]);
    expect(delivery!.attempts_log[0]!.error).toBe('HTTP 503');
    for (const attempt of delivery!.attempts_log) {
      expect(attempt.duration_ms).toBeGreaterThanOrEqual(35);
      expect(attempt.duration_ms).toBeLessThan(500);
    }
    const started = delivery!.attempts_log.map((attempt) => Date.parse(attempt.started_at));
    expect(started).toEqual([...started].sort((a, b) => a - b));
    expect(JSON.stringify(deliveries)).not.toContain('top-secret');
    await receiver.close();
  });

  it('pages newest first and filters by status and time', async () => {
    const receiver = await startReceiver();
    const { organizationId, webhookId } = await aWebhookWithDeliveries(receiver, 3);
    const sent = [0, 1, 2].map((index) => deliveryIdOf(receiver, index));

    const first = await listDeliveries(organizationId, { webhook_id: webhookId, limit: 2 });
    expect(first.deliveries.map((delivery) => delivery.id)).toEqual([sent[2], sent[1]]);
    const second = await listDeliveries(organizationId, {
      webhook_id: webhookId,
      page_id: first.next_page_id,
    });
    expect(second.deliveries.map((delivery) => delivery.id)).toEqual([sent[0]]);
    expect(second.next_page_id).toBeUndefined();

    const since = await listDeliveries(organizationId, {
      webhook_id: webhookId,
      from: first.deliveries[1]!.created_at,
    });
    expect(since.deliveries.map((delivery) => delivery.id)).toEqual([sent[2], sent[1]]);
    const dead = await listDeliveries(organizationId, { webhook_id: webhookId, status: 'dead' });
    expect(dead.deliveries).toEqual([]);
    await receiver.close();
  });
});

describe('redeliver_webhook_delivery', () => {
  it('sends a dead delivery again under the same delivery id', async () => {
    let healthy = false;
    const receiver = await startReceiver(() => (healthy ? 200 : 500));
    const organizationId = newOrganizationId();
    const webhookId = await registerEnabled(cluster, organizationId, { url: receiver.url });
    await publishBatch(cluster, aMessageBatch(organizationId));
    let dead: Delivery | undefined;
    await waitFor(async () => {
      const page = await listDeliveries(organizationId, { webhook_id: webhookId, status: 'dead' });
      dead = page.deliveries[0];
      return dead !== undefined;
    }, 'the delivery to be dead');
    expect(receiver.received).toHaveLength(4);

    healthy = true;
    await configure(cluster, organizationId, 'redeliver_webhook_delivery', {
      delivery_id: dead!.id,
      owner_client_id: owner,
    });
    await waitFor(() => receiver.received.length === 5, 'the redelivery');
    expect(deliveryIdOf(receiver, 4)).toBe(dead!.id);
    expect(receiver.received[4]!.body).toBe(receiver.received[0]!.body);
    await waitFor(async () => {
      const page = await listDeliveries(organizationId, { webhook_id: webhookId });
      return page.deliveries[0]?.status === 'delivered';
    }, 'the redelivery to be recorded');
    const [delivery] = (await listDeliveries(organizationId, { webhook_id: webhookId })).deliveries;
    expect(delivery!.attempts).toBe(1);
    expect(delivery!.attempts_log.map((attempt) => [attempt.attempt, attempt.outcome])).toEqual([
      [1, 'retry'],
      [2, 'retry'],
      [3, 'retry'],
      [4, 'dead'],
      [1, 'delivered'],
    ]);
    await receiver.close();
  });
});

describe('replay_webhooks', () => {
  it('sends again exactly the deliveries created since a time, in their order', async () => {
    const receiver = await startReceiver();
    const { organizationId, webhookId } = await aWebhookWithDeliveries(receiver, 4);
    const sent = [0, 1, 2, 3].map((index) => deliveryIdOf(receiver, index));
    const { deliveries } = await listDeliveries(organizationId, { webhook_id: webhookId });
    const from = deliveries.find((delivery) => delivery.id === sent[1])!.created_at;

    const reply = await configure(cluster, organizationId, 'replay_webhooks', {
      webhook_id: webhookId,
      owner_client_id: owner,
      from,
    });
    expect(reply).toEqual({ replayed: 3 });
    await waitFor(() => receiver.received.length === 7, 'the replayed deliveries');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received.slice(4).map((_, index) => deliveryIdOf(receiver, 4 + index))).toEqual(
      sent.slice(1),
    );
    expect(receiver.received).toHaveLength(7);

    const to = deliveries.find((delivery) => delivery.id === sent[2])!.created_at;
    const bounded = await configure(cluster, organizationId, 'replay_webhooks', {
      webhook_id: webhookId,
      owner_client_id: owner,
      from,
      to,
    });
    expect(bounded).toEqual({ replayed: 1 });
    await waitFor(() => receiver.received.length === 8, 'the bounded replay');
    expect(deliveryIdOf(receiver, 7)).toBe(sent[1]);
    await receiver.close();
  });
});

describe('the delivery log methods refuse', () => {
  it('another organization and another owner_client_id (not_found)', async () => {
    const receiver = await startReceiver();
    const { organizationId, webhookId } = await aWebhookWithDeliveries(receiver, 1);
    const deliveryId = deliveryIdOf(receiver, 0) as string;
    const from = '2020-01-01T00:00:00Z';
    const requests = (ownerClientId: string) => ({
      list_webhook_deliveries: { webhook_id: webhookId, owner_client_id: ownerClientId },
      replay_webhooks: { webhook_id: webhookId, owner_client_id: ownerClientId, from },
      redeliver_webhook_delivery: { delivery_id: deliveryId, owner_client_id: ownerClientId },
    });
    const strangers = [
      [newOrganizationId(), owner],
      [organizationId, 'client-2'],
    ] as const;
    for (const [organization, ownerClientId] of strangers) {
      for (const [action, payload] of Object.entries(requests(ownerClientId))) {
        const outcome = await errorTypeOf(configure(cluster, organization, action, payload));
        expect(outcome, `${action} by ${ownerClientId}`).toBe('not_found');
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received).toHaveLength(1);
    await receiver.close();
  });

  it('bad input (validation)', async () => {
    const organizationId = newOrganizationId();
    const webhookId = 'f'.repeat(32);
    const list = { webhook_id: webhookId, owner_client_id: owner };
    const replay = { ...list, from: '2026-12-07T10:00:00Z' };
    const invalid: [string, Record<string, unknown>][] = [
      ['list_webhook_deliveries', { ...list, limit: 101 }],
      ['list_webhook_deliveries', { ...list, status: 'lost' }],
      ['list_webhook_deliveries', { ...list, from: 'yesterday' }],
      ['list_webhook_deliveries', { ...list, page_id: 'garbage' }],
      ['replay_webhooks', list],
      ['replay_webhooks', { ...replay, to: '2026-12-07T09:00:00Z' }],
      // Only a system requester (the operator CLI) may leave the owner out.
      ['redeliver_webhook_delivery', { delivery_id: webhookId }],
    ];
    for (const [action, payload] of invalid) {
      const outcome = await errorTypeOf(configure(cluster, organizationId, action, payload));
      expect(outcome, `${action} ${JSON.stringify(payload)}`).toBe('validation');
    }
  });
});

describe('the delivery log over gRPC', () => {
  it('lists and replays for a system requester of the organization, whoever owns the webhook', async () => {
    const receiver = await startReceiver();
    const { organizationId, webhookId } = await aWebhookWithDeliveries(receiver, 1);
    const client = createGrpcClient(WebhooksService, `127.0.0.1:${cluster.services[0]!.grpcPort}`, {
      deadlineMs: 10_000,
    });
    const call = (action: string, payload: Record<string, unknown>) => {
      const command = aCommand(organizationId, action, payload);
      command.requester = { ...command.requester!, userId: 'operator', userType: 'system' };
      return client.execute(command);
    };
    const listed = await call('list_webhook_deliveries', { webhook_id: webhookId });
    expect(listed.success).toBe(true);
    const { deliveries } = JSON.parse(listed.payloadJson) as DeliveriesPage;
    expect(deliveries.map((delivery) => delivery.id)).toEqual([deliveryIdOf(receiver, 0)]);
    const replayed = await call('replay_webhooks', {
      webhook_id: webhookId,
      from: deliveries[0]!.created_at,
    });
    expect(JSON.parse(replayed.payloadJson)).toEqual({ replayed: 1 });
    await waitFor(() => receiver.received.length === 2, 'the replay');
    expect(deliveryIdOf(receiver, 1)).toBe(deliveryIdOf(receiver, 0));
    const missing = call('redeliver_webhook_delivery', { delivery_id: 'f'.repeat(32) });
    expect(await errorTypeOf(missing)).toBe('not_found');
    client.close();
    await receiver.close();
  });
});
