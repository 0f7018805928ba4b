import { publishErasureNotice } from '@threadline/bus';
import { ChatEventBatch, ConfigurationChange } from '@threadline/contracts';
import {
  developmentMasterKey,
  erasedText,
  openKeyRing,
  sealPersonalData,
} from '@threadline/personal-data';
import { afterAll, describe, expect, it } from 'vitest';
import {
  aMessageBatch,
  configure,
  newOrganizationId,
  publishBatch,
  registerEnabled,
  startCluster,
  startReceiver,
  waitFor,
} from '../test/harness.ts';
import { redactedPayload } from './adapters/postgres/erasure-redaction.ts';

const cluster = await startCluster();
const ring = await openKeyRing({
  url: cluster.database.url,
  masterKey: Buffer.from(developmentMasterKey, 'base64'),
});
// Receivers that echo what they got: the attempt log keeps a prefix of the answer.
const receiver = await startReceiver((_index, body) => ({ status: 200, afterMs: 0, body }));
afterAll(async () => {
  await receiver.close();
  await ring.close();
  await cluster.stop();
});

const customerId = 'customer-1';

/** A customer's message batch as chat-store stores it: personal fields sealed with their key. */
async function aSealedMessage(organizationId: string, chatId: string, text: string) {
  const batch = aMessageBatch(organizationId, chatId);
  const plain = {
    requester: batch.requester,
    events: batch.events.map((event) => withText(event.dataJson, text)),
    notifications: batch.notifications.map((notification) => {
      const payload = JSON.parse(notification.payloadJson) as { event: object };
      return { ...payload, event: { ...payload.event, text } };
    }),
  };
  const sealed = await sealPersonalData(ring, organizationId, plain);
  return ChatEventBatch.fromPartial({
    ...batch,
    requester: sealed.requester,
    events: batch.events.map((event, index) => ({
      ...event,
      dataJson: JSON.stringify(sealed.events[index]),
    })),
    notifications: batch.notifications.map((notification, index) => ({
      ...notification,
      payloadJson: JSON.stringify(sealed.notifications[index]),
    })),
  });
}

function withText(json: string, text: string) {
  return { ...(JSON.parse(json) as object), text };
}

async function eraseCustomer(organizationId: string, chatIds: string[]) {
  const change = ConfigurationChange.fromPartial({
    changeId: `customer_erased:${organizationId}:${customerId}`,
    organizationId,
    action: 'customer_erased',
    payloadJson: JSON.stringify({ customer_id: customerId, chat_ids: chatIds }),
    requester: { organizationId, userId: 'owner@example.com', userType: 'agent' },
  });
  await ring.destroy(organizationId, customerId);
  // As chat-store announces it: every replica drops the key it may have cached (the other
  // replica's cache would still open a late batch in the clear for up to a minute).
  publishErasureNotice(cluster.bus.connection, cluster.subjects.customerErasures, {
    organizationId,
    customerId,
    chatIds,
  });
  await cluster.bus.jetstream.publish(
    cluster.subjects.configurationChanges(organizationId),
    ConfigurationChange.encode(change).finish(),
  );
}

type Listed = {
  deliveries: {
    status: string;
    payload?: unknown;
    attempts_log: { response_body_prefix?: string }[];
  }[];
};

function deliveriesOf(organizationId: string, webhookId: string) {
  return configure(cluster, organizationId, 'list_webhook_deliveries', {
    owner_client_id: 'client-1',
    webhook_id: webhookId,
    include_payload: true,
  }) as Promise<Listed>;
}

async function bodiesMentioning(text: string): Promise<number> {
  const rows = await cluster.db
    .selectFrom('deliveries')
    .innerJoin('delivery_attempts', 'delivery_attempts.delivery_id', 'deliveries.id')
    .select(['deliveries.body', 'delivery_attempts.response_body_prefix'])
    .execute();
  return rows.filter((row) => `${row.body}${row.response_body_prefix}`.includes(text)).length;
}

describe('webhooks of an erased customer', () => {
  const erased = newOrganizationId();
  const other = newOrganizationId();
  const word = `walrus${Date.now()}`;

  it('delivers sealed batches in the clear, then redacts the log once the customer is erased', async () => {
    const webhookId = await registerEnabled(cluster, erased, { url: receiver.url });
    const otherWebhookId = await registerEnabled(cluster, other, { url: receiver.url });
    const chatId = `CHAT-${erased}`;
    await publishBatch(cluster, await aSealedMessage(erased, chatId, `my word is ${word}`));
    await publishBatch(cluster, await aSealedMessage(other, `CHAT-${other}`, `also ${word}`));
    await waitFor(() => receiver.received.length === 2, 'both deliveries');
    expect(receiver.received.every((webhook) => webhook.body.includes(word))).toBe(true);
    await waitFor(async () => (await bodiesMentioning(word)) === 2, 'the attempts to be logged');
    // Appended before the erasure, fanned out after it: must not open any more.
    const late = await aSealedMessage(erased, chatId, `late ${word}`);

    await eraseCustomer(erased, [chatId]);
    await waitFor(async () => (await bodiesMentioning(word)) === 1, 'the redaction');
    const { deliveries } = await deliveriesOf(erased, webhookId);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.payload).toEqual(redactedPayload);
    expect(JSON.stringify(deliveries)).not.toContain(word);
    const kept = await deliveriesOf(other, otherWebhookId);
    expect(JSON.stringify(kept.deliveries)).toContain(word);

    await publishBatch(cluster, late);
    await waitFor(() => receiver.received.length === 3, 'the late delivery');
    expect(receiver.received[2]!.body).not.toContain(word);
    expect(receiver.received[2]!.body).toContain(erasedText);
  });
});
