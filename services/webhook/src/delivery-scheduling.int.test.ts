import { afterEach, describe, expect, it } from 'vitest';
import {
  aMessageBatch,
  type Cluster,
  newOrganizationId,
  publishBatch,
  type Receiver,
  registerEnabled,
  startCluster,
  startReceiver,
  waitFor,
} from '../test/harness.ts';

let cluster: Cluster | undefined;
const receivers: Receiver[] = [];

afterEach(async () => {
  // Receivers first: a hanging one releases the requests the replicas wait for when stopping.
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
  await cluster?.stop();
  cluster = undefined;
});

async function receiver(answer?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const started = await startReceiver(answer);
  receivers.push(started);
  return started;
}

function idsOf(received: Receiver['received']): string[] {
  return received.map((webhook) => String(webhook.headers['x-threadline-webhook-id']));
}

/** Whether the registration has `count` deliveries, all delivered. */
async function allDelivered(registrationId: string, count: number): Promise<boolean> {
  const rows = await outboxOf(registrationId);
  return rows.length === count && rows.every((row) => row.status === 'delivered');
}

/** The registration's deliveries in the outbox's order (the order they were enqueued). */
async function outboxOf(registrationId: string) {
  return cluster!.db
    .selectFrom('deliveries')
    .select(['id', 'status', 'attempts', 'last_error'])
    .where('registration_id', '=', registrationId)
    .orderBy('sequence')
    .execute();
}

/** A metric summed over both replicas' /metrics. */
async function metric(name: string): Promise<number> {
  let sum = 0;
  for (const service of cluster!.services) {
    const text = await (await fetch(`http://127.0.0.1:${service.healthPort}/metrics`)).text();
    // The registry labels every series with the service: `name{service="webhook"} 3`.
    const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
    sum += line ? Number(line.split(' ').at(-1)) : 0;
  }
  return sum;
}

/** Publishes one message batch per chat named, one after the other, in the order given. */
async function publishInChats(organizationId: string, chatIds: string[]): Promise<void> {
  let version = 1;
  for (const chatId of chatIds) {
    await publishBatch(cluster!, aMessageBatch(organizationId, chatId, ++version));
  }
}

describe('retries', () => {
  it('sends a receiver that fails 3 times the same delivery 4 times and succeeds once', async () => {
    cluster = await startCluster({ WEBHOOK_MAX_ATTEMPTS: '5' });
    const flaky = await receiver((index) => (index < 3 ? 500 : 200));
    const organizationId = newOrganizationId();
    const id = await registerEnabled(cluster, organizationId, { url: flaky.url });
    await publishBatch(cluster, aMessageBatch(organizationId));

    await waitFor(async () => (await outboxOf(id))[0]?.status === 'delivered', 'delivered');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(flaky.received).toHaveLength(4);
    const [deliveryId] = idsOf(flaky.received);
    expect(idsOf(flaky.received)).toEqual([deliveryId, deliveryId, deliveryId, deliveryId]);
    expect(new Set(flaky.received.map((r) => r.body)).size).toBe(1);
    expect(await outboxOf(id)).toEqual([
      { id: deliveryId, status: 'delivered', attempts: 4, last_error: null },
    ]);
    expect(await metric('threadline_webhook_delivery_failures_total')).toBe(3);
    expect(await metric('threadline_webhook_retries_total')).toBe(3);
    expect(await metric('threadline_webhook_deliveries_total')).toBe(1);
    expect(await metric('threadline_webhook_dead_letters_total')).toBe(0);
    expect(await metric('threadline_webhook_delivery_latency_seconds_count')).toBe(1);
  });
});

describe('an endpoint that hangs', () => {
  it('does not delay deliveries to another endpoint', async () => {
    // Few slots, so that without the per-endpoint limit the hanging endpoint would take them all
    // for the whole 10-second timeout.
    cluster = await startCluster({
      WEBHOOK_DELIVERY_TIMEOUT_MS: '10000',
      WEBHOOK_DELIVERY_CONCURRENCY: '4',
      WEBHOOK_ENDPOINT_CONCURRENCY: '2',
    });
    const hanging = await receiver(() => 'hang');
    const healthy = await receiver();
    const organizationId = newOrganizationId();
    await registerEnabled(cluster, organizationId, { url: hanging.url, clientId: 'client-1' });
    await registerEnabled(cluster, organizationId, { url: healthy.url, clientId: 'client-2' });

    const chats = Array.from({ length: 12 }, (_, i) => `HANG${i}`);
    const published = Date.now();
    await publishInChats(organizationId, chats);
    await waitFor(() => healthy.received.length === chats.length, 'the healthy webhooks', 3_000);
    const slowest = Math.max(...healthy.received.map((r) => r.receivedAt - published));
    // Far below the 10-second timeout the hanging endpoint holds its requests for.
    expect(slowest).toBeLessThan(2_000);
    // Two requests per replica, no more, however many deliveries wait.
    expect(hanging.received.length).toBeLessThanOrEqual(4);
    expect(hanging.received.length).toBeGreaterThan(0);
  });
});

describe('order per chat', () => {
  it('delivers a chat’s webhooks to a healthy receiver in the order enqueued, across replicas', async () => {
    cluster = await startCluster();
    const healthy = await receiver(() => ({ status: 200, afterMs: 5 }));
    const organizationId = newOrganizationId();
    const id = await registerEnabled(cluster, organizationId, { url: healthy.url });
    const chats = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 'ORDER_A' : 'ORDER_B'));
    let version = 1;
    // Published at once: both replicas fan the chats' batches out concurrently.
    await Promise.all(
      chats.map((chatId) =>
        publishBatch(cluster!, aMessageBatch(organizationId, chatId, ++version)),
      ),
    );

    await waitFor(() => healthy.received.length >= chats.length, 'every webhook');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const enqueued = (await outboxOf(id)).map((row) => row.id);
    const chatOf = new Map(
      healthy.received.map((r) => [
        String(r.headers['x-threadline-webhook-id']),
        JSON.parse(r.body).payload.chat_id as string,
      ]),
    );
    for (const chatId of ['ORDER_A', 'ORDER_B']) {
      const inChat = (ids: string[]) =>
        ids.filter((deliveryId) => chatOf.get(deliveryId) === chatId);
      expect(inChat(idsOf(healthy.received))).toEqual(inChat(enqueued));
      expect(inChat(enqueued)).toHaveLength(20);
    }
  });

  it('keeps the order for a receiver that fails, then recovers', async () => {
    cluster = await startCluster({ WEBHOOK_MAX_ATTEMPTS: '5' });
    const recovering = await receiver((index) => (index < 3 ? 503 : 200));
    const organizationId = newOrganizationId();
    const id = await registerEnabled(cluster, organizationId, { url: recovering.url });
    await publishInChats(
      organizationId,
      Array.from({ length: 15 }, () => 'RECOVERING'),
    );

    await waitFor(() => allDelivered(id, 15), 'every webhook delivered');
    const enqueued = (await outboxOf(id)).map((row) => row.id);
    expect(enqueued).toHaveLength(15);
    const requested = idsOf(recovering.received);
    // The first is tried until it is taken; nothing after it goes before.
    expect(requested.slice(0, 4)).toEqual([enqueued[0], enqueued[0], enqueued[0], enqueued[0]]);
    expect(requested.slice(3)).toEqual(enqueued);
  });
});

describe('the circuit breaker', () => {
  it('stops sending to a dead endpoint while open and closes when it recovers', async () => {
    cluster = await startCluster({
      WEBHOOK_MAX_ATTEMPTS: '50',
      WEBHOOK_BREAKER_FAILURES: '3',
      WEBHOOK_BREAKER_COOLDOWN_MS: '400',
      WEBHOOK_BREAKER_MAX_COOLDOWN_MS: '800',
    });
    let down = true;
    const flapping = await receiver(() => (down ? 503 : 200));
    const organizationId = newOrganizationId();
    const id = await registerEnabled(cluster, organizationId, { url: flapping.url });
    await publishInChats(
      organizationId,
      Array.from({ length: 10 }, (_, i) => `DOWN${i}`),
    );
    const endpoint = () =>
      cluster!.db
        .selectFrom('endpoints')
        .selectAll()
        .where('url', '=', flapping.url)
        .executeTakeFirst();

    await waitFor(async () => (await endpoint())?.status === 'open', 'the circuit to open');
    const whenOpened = flapping.received.length;
    const openedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // A probe that failed opened it again (how soon depends on the machine's load).
    await waitFor(
      async () => (await metric('threadline_webhook_circuit_opened_total')) >= 2,
      'the circuit to open again after a failed probe',
    );
    // Backoff alone (50–200 ms) would have tried the ten deliveries about ten times in each
    // 200 ms; the open circuit lets through one probe per cool-down (400 ms, then 800 ms). The
    // bound counts a probe per 400 ms, plus one in flight per replica when it opened.
    const coolDowns = Math.ceil((Date.now() - openedAt) / 400);
    expect(flapping.received.length - whenOpened).toBeLessThanOrEqual(coolDowns + 2);
    expect(await metric('threadline_webhook_open_circuits')).toBeGreaterThanOrEqual(1);
    const held = await outboxOf(id);
    expect(held.map((row) => row.status)).toEqual(Array(10).fill('pending'));

    down = false;
    await waitFor(() => allDelivered(id, 10), 'every webhook after the endpoint recovered', 15_000);
    expect(await endpoint()).toMatchObject({ status: 'closed', consecutive_failures: 0 });
    expect(await metric('threadline_webhook_open_circuits')).toBe(0);
  });
});
