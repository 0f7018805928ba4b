import { afterAll, describe, expect, it } from 'vitest';
import { openMigratedDatabase } from '../../../test/database.ts';
import { anIncomingChat, anIncomingEvent, aRegistration } from '../../../test/factories.ts';
import { type BatchToFanOut, fanOutBatch } from '../../application/fan-out-batch.ts';
import type { EndpointRoom } from '../../application/ports.ts';
import type { Registration } from '../../domain/registration.ts';
import { createEndpointBreakers, pruneEndpoints } from './endpoints.ts';
import { createDeliveryQueue, createFanOutStore, expireOverdue, pruneSettled } from './outbox.ts';
import { insertRegistration, setLicenseWebhooksEnabled } from './registrations.ts';

const { db, close } = await openMigratedDatabase();
afterAll(close);

const customer = { userId: 'customer-1', userType: 'customer' };
const anyRoom = { inFlight: new Map<string, number>(), limit: 1_000 };
let sequence = 0;

async function registered(overrides: Parameters<typeof aRegistration>[0] = {}) {
  const registration = aRegistration({
    id: Math.random().toString(16).slice(2).padEnd(32, '0').slice(0, 32),
    organizationId: `org-${++sequence}`,
    url: `http://127.0.0.1:9/webhooks/${sequence}`,
    ...overrides,
  });
  await insertRegistration(db, registration, 3);
  await setLicenseWebhooksEnabled(
    db,
    registration.organizationId,
    registration.ownerClientId,
    true,
  );
  return registration;
}

/** The chat's `source` property as the registration's enqueued webhook carries it. */
async function deliveredChatSource(registrationId: string): Promise<unknown> {
  const [row] = await db
    .selectFrom('deliveries')
    .select('body')
    .where('registration_id', '=', registrationId)
    .execute();
  return JSON.parse(row!.body).additional_data.chat_properties.source;
}

/** A customer's message batch, as the consumer reads it from the chat stream. */
function aBatchToFanOut(
  organizationId: string,
  chatId: string,
  streamSequence: number,
): BatchToFanOut {
  return {
    organizationId,
    chatId,
    stream: 'TEST_CHATS',
    streamSequence,
    batch: { version: 2, requester: customer, notifications: [anIncomingEvent()] },
  };
}

describe('fanOutBatch on Postgres', () => {
  it('enqueues once per batch position, however often the batch is handled', async () => {
    const registration = await registered();
    const input = aBatchToFanOut(registration.organizationId, 'CHAT1', 42);
    const store = createFanOutStore(db);
    const counts = await Promise.all([fanOutBatch(store, input), fanOutBatch(store, input)]);
    expect(counts.sort()).toEqual([0, 1]);
    expect(await fanOutBatch(store, { ...input, streamSequence: 43 })).toBe(1);
  });

  it('remembers chat properties for later batches of the chat', async () => {
    const registration = await registered({
      action: 'incoming_event',
      filters: { only_my_chats: true },
      additionalData: ['chat_properties'],
    });
    const store = createFanOutStore(db);
    const base = {
      organizationId: registration.organizationId,
      chatId: 'CHAT2',
      stream: 'TEST_CHATS',
    };
    await fanOutBatch(store, {
      ...base,
      streamSequence: 1,
      batch: { version: 1, requester: customer, notifications: [anIncomingChat()] },
    });
    expect(
      await fanOutBatch(store, {
        ...base,
        streamSequence: 2,
        batch: { version: 2, requester: customer, notifications: [anIncomingEvent()] },
      }),
    ).toBe(1);
    expect(await deliveredChatSource(registration.id)).toEqual({ client_id: 'client-1' });
  });

  it('keeps the snapshot of chats while no webhook is registered, for webhooks registered later', async () => {
    const organizationId = `org-${++sequence}`;
    const store = createFanOutStore(db);
    const base = { organizationId, chatId: 'CHAT4', stream: 'TEST_CHATS' };
    const batches = [anIncomingChat(), anIncomingEvent(), anIncomingEvent()].map(
      (notification, index) => ({
        ...base,
        streamSequence: index + 1,
        batch: { version: index + 1, requester: customer, notifications: [notification] },
      }),
    );
    // Sealed personal data is opened only for a batch with work: the snapshot, or a webhook.
    const opened: number[] = [];
    const open = async (input: BatchToFanOut) => {
      opened.push(input.streamSequence);
      return input;
    };
    expect(await fanOutBatch(store, batches[0]!, open)).toBe(0);
    expect(await fanOutBatch(store, batches[1]!, open)).toBe(0);
    expect(opened).toEqual([1]);

    const registration = await registered({
      organizationId,
      action: 'incoming_event',
      filters: { only_my_chats: true },
      additionalData: ['chat_properties'],
    });
    expect(await fanOutBatch(store, batches[2]!, open)).toBe(1);
    expect(opened).toEqual([1, 3]);
    expect(await deliveredChatSource(registration.id)).toEqual({ client_id: 'client-1' });
  });

  it('enqueues the opened notifications, not the sealed ones', async () => {
    const registration = await registered({ action: 'incoming_event' });
    const sealed = aBatchToFanOut(registration.organizationId, 'CHAT5', 1);
    const openedText = 'opened text';
    const open = async (input: BatchToFanOut): Promise<BatchToFanOut> => ({
      ...input,
      batch: {
        ...input.batch,
        notifications: input.batch.notifications.map((notification) => ({
          ...notification,
          payload: {
            ...notification.payload,
            event: { ...(notification.payload.event as object), text: openedText },
          },
        })),
      },
    });
    expect(await fanOutBatch(createFanOutStore(db), sealed, open)).toBe(1);
    const [row] = await db
      .selectFrom('deliveries')
      .select('body')
      .where('registration_id', '=', registration.id)
      .execute();
    expect(JSON.parse(row!.body).payload.event.text).toBe(openedText);
  });
});

describe('delivery queue', () => {
  it('never hands one delivery to two workers', async () => {
    const registration = await registered();
    const store = createFanOutStore(db);
    for (let streamSequence = 100; streamSequence < 120; streamSequence += 1) {
      await fanOutBatch(store, {
        organizationId: registration.organizationId,
        chatId: `CHAT3-${streamSequence}`,
        stream: 'TEST_CHATS',
        streamSequence,
        batch: { version: 2, requester: customer, notifications: [anIncomingEvent()] },
      });
    }
    const queue = createDeliveryQueue(db);
    const claims = await Promise.all([1, 2, 3, 4].map(() => queue.claimDue(50, 10_000, anyRoom)));
    const ids = claims.flat().map((delivery) => delivery.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(20);
    // Leased: nothing is due again until the lease runs out.
    expect(await queue.claimDue(50, 10_000, anyRoom)).toEqual([]);
  });

  it('ignores the outcome of a claim that was superseded', async () => {
    const registration = await registered();
    await fanOutBatch(createFanOutStore(db), {
      organizationId: registration.organizationId,
      chatId: 'CHAT4',
      stream: 'TEST_CHATS',
      streamSequence: 500,
      batch: { version: 2, requester: customer, notifications: [anIncomingEvent()] },
    });
    const queue = createDeliveryQueue(db);
    const { id } = await db
      .selectFrom('deliveries')
      .select('id')
      .where('registration_id', '=', registration.id)
      .executeTakeFirstOrThrow();
    const first = (await queue.claimDue(100, 0, anyRoom)).find((d) => d.id === id);
    expect(first).toMatchObject({ attempts: 1 });
    // The lease (0 ms) ran out and another worker claimed it again.
    const second = (await queue.claimDue(100, 60_000, anyRoom)).find((d) => d.id === first!.id)!;
    expect(second.attempts).toBe(first!.attempts + 1);
    await queue.markDead(first!, 'stale worker');
    await queue.markDelivered(second);
    const row = await db
      .selectFrom('deliveries')
      .selectAll()
      .where('id', '=', first!.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'delivered', attempts: 2, last_error: null });
  });
});

/** Fans out a batch of one incoming_event in the chat. */
function enqueueEvent(registration: Registration, chatId: string): Promise<number> {
  return fanOutBatch(createFanOutStore(db), {
    organizationId: registration.organizationId,
    chatId,
    stream: 'TEST_CHATS',
    streamSequence: ++sequence,
    batch: { version: 2, requester: customer, notifications: [anIncomingEvent()] },
  });
}

/** The registration's deliveries in the outbox's order. */
async function enqueuedIds(registration: Registration): Promise<string[]> {
  const rows = await db
    .selectFrom('deliveries')
    .select('id')
    .where('registration_id', '=', registration.id)
    .orderBy('sequence')
    .execute();
  return rows.map((row) => row.id);
}

/** Enqueues one incoming_event per chat named, in that order, and returns their ids in order. */
async function enqueueEvents(registration: Registration, chatIds: string[]): Promise<string[]> {
  for (const chatId of chatIds) await enqueueEvent(registration, chatId);
  return enqueuedIds(registration);
}

/** Claims (leased for a minute) and keeps what belongs to `url`. */
async function claimFor(url: string, room: EndpointRoom = anyRoom) {
  const claimed = await createDeliveryQueue(db).claimDue(100, 60_000, room);
  return claimed.filter((delivery) => delivery.url === url);
}

describe('order per chat', () => {
  it('claims only the oldest pending delivery of each chat, and the next once it settles', async () => {
    const registration = await registered();
    const [a1, b1, a2, a3] = await enqueueEvents(registration, ['A', 'B', 'A', 'A']);
    const queue = createDeliveryQueue(db);

    const first = await claimFor(registration.url);
    expect(first.map((d) => d.id).sort()).toEqual([a1, b1].sort());
    // A's first is in flight: its second waits, however much room the endpoint has.
    expect(await claimFor(registration.url)).toEqual([]);

    await queue.scheduleRetry(first.find((d) => d.id === a1)!, 0, 'HTTP 500');
    const retried = await claimFor(registration.url);
    expect(retried.map((d) => d.id)).toEqual([a1]);

    await queue.markDelivered(retried[0]!);
    const second = await claimFor(registration.url);
    expect(second.map((d) => d.id)).toEqual([a2]);

    // A dead delivery no longer holds the chat back.
    await queue.markDead(second[0]!, 'HTTP 500');
    expect((await claimFor(registration.url)).map((d) => d.id)).toEqual([a3]);
  });

  it('makes a chat’s later deliveries due with its retrying head, and other chats’ not', async () => {
    const registration = await registered();
    const [head, later, , otherLater] = await enqueueEvents(registration, ['H', 'H', 'I', 'I']);
    const queue = createDeliveryQueue(db);
    const claimed = (await claimFor(registration.url)).find((d) => d.id === head)!;
    await queue.scheduleRetry(claimed, 60_000, 'HTTP 500');
    await queue.holdChainBehind(claimed);
    const due = await db
      .selectFrom('deliveries')
      .select(['id', 'next_attempt_at'])
      .where('registration_id', '=', registration.id)
      .execute();
    const dueOf = (id: string | undefined) => due.find((row) => row.id === id)!.next_attempt_at;
    expect(dueOf(later)).toEqual(dueOf(head));
    expect(dueOf(otherLater).getTime()).toBeLessThan(dueOf(head).getTime() - 50_000);
  });

  it('orders deliveries enqueued by concurrent fan-outs of one chat by commit', async () => {
    const registration = await registered();
    await Promise.all(Array.from({ length: 10 }, () => enqueueEvent(registration, 'C')));
    const queue = createDeliveryQueue(db);
    const sent: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const claimed = await claimFor(registration.url);
      expect(claimed).toHaveLength(1);
      sent.push(claimed[0]!.id);
      await queue.markDelivered(claimed[0]!);
    }
    expect(sent).toEqual(await enqueuedIds(registration));
  });
});

describe('endpoint limits', () => {
  it('claims no more for an endpoint than the room it has left', async () => {
    const registration = await registered();
    await enqueueEvents(registration, ['R1', 'R2', 'R3', 'R4', 'R5']);
    const inFlight = new Map([[registration.url, 1]]);
    expect(await claimFor(registration.url, { inFlight, limit: 3 })).toHaveLength(2);
    inFlight.set(registration.url, 3);
    expect(await claimFor(registration.url, { inFlight, limit: 3 })).toEqual([]);
    expect(await claimFor(registration.url)).toHaveLength(3);
  });

  it('holds an open endpoint’s deliveries, sends one probe when it half-opens, and resumes', async () => {
    const registration = await registered();
    await enqueueEvents(registration, ['O1', 'O2', 'O3']);
    const breakers = createEndpointBreakers(db, {
      failureThreshold: 2,
      coolDownMs: 300,
      maxCoolDownMs: 1_000,
    });
    expect(await breakers.record(registration.url, 'failed')).toEqual({
      from: 'closed',
      to: 'closed',
    });
    expect(await breakers.record(registration.url, 'failed')).toEqual({
      from: 'closed',
      to: 'open',
      openForMs: 300,
    });
    expect(await claimFor(registration.url)).toEqual([]);
    // Held, not failed: no attempt counted, due again when the cool-down ends.
    const { retry_at } = await db
      .selectFrom('endpoints')
      .select('retry_at')
      .where('url', '=', registration.url)
      .executeTakeFirstOrThrow();
    const held = await db
      .selectFrom('deliveries')
      .select(['attempts', 'next_attempt_at'])
      .where('registration_id', '=', registration.id)
      .execute();
    expect(held).toEqual(Array(3).fill({ attempts: 0, next_attempt_at: retry_at }));

    await new Promise((resolve) => setTimeout(resolve, 350));
    // Both replicas claim at once: one probe between them.
    const probes = (
      await Promise.all([claimFor(registration.url), claimFor(registration.url)])
    ).flat();
    expect(probes).toHaveLength(1);
    expect(await claimFor(registration.url)).toEqual([]);

    expect(await breakers.record(registration.url, 'delivered')).toEqual({
      from: 'half_open',
      to: 'closed',
    });
    expect(await claimFor(registration.url)).toHaveLength(2);
  });

  it('forgets breakers of endpoints with nothing pending once retention passes', async () => {
    const idle = `http://127.0.0.1:9/idle/${++sequence}`;
    const busy = await registered();
    await enqueueEvents(busy, ['P1']);
    const breakers = createEndpointBreakers(db, {
      failureThreshold: 1,
      coolDownMs: 300,
      maxCoolDownMs: 1_000,
    });
    for (const url of [idle, busy.url]) await breakers.record(url, 'failed');
    expect(await pruneEndpoints(db, 3_600_000)).toBe(0);
    await db
      .updateTable('endpoints')
      .set({ updated_at: new Date(Date.now() - 2 * 3_600_000) })
      .where('url', 'in', [idle, busy.url])
      .execute();
    expect(await pruneEndpoints(db, 3_600_000)).toBe(1);
    const left = await db
      .selectFrom('endpoints')
      .select('url')
      .where('url', 'in', [idle, busy.url])
      .execute();
    expect(left).toEqual([{ url: busy.url }]);
  });

  it('counts failures reported at once by many workers', async () => {
    const url = `http://127.0.0.1:9/concurrent/${++sequence}`;
    const breakers = createEndpointBreakers(db, {
      failureThreshold: 100,
      coolDownMs: 300,
      maxCoolDownMs: 1_000,
    });
    await Promise.all(Array.from({ length: 10 }, () => breakers.record(url, 'failed')));
    const row = await db
      .selectFrom('endpoints')
      .selectAll()
      .where('url', '=', url)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'closed', consecutive_failures: 10 });
  });
});

describe('expireOverdue', () => {
  it('dead-letters deliveries held past the longest schedule, keeping their last error', async () => {
    const registration = await registered();
    const [held, retrying, recent] = await enqueueEvents(registration, ['E1', 'E2', 'E3']);
    const old = new Date(Date.now() - 2 * 3_600_000);
    await db
      .updateTable('deliveries')
      .set({ pending_since: old, last_error: 'HTTP 503' })
      .where('id', '=', held!)
      .execute();
    await db
      .updateTable('deliveries')
      .set({ pending_since: old, next_attempt_at: new Date(Date.now() + 60_000) })
      .where('id', '=', retrying!)
      .execute();

    expect(await expireOverdue(db, 3_600_000)).toBeGreaterThanOrEqual(1);
    const rows = await db
      .selectFrom('deliveries')
      .select(['id', 'status', 'last_error'])
      .where('registration_id', '=', registration.id)
      .orderBy('sequence')
      .execute();
    expect(rows).toEqual([
      { id: held, status: 'dead', last_error: 'not delivered within 60 min; HTTP 503' },
      { id: retrying, status: 'pending', last_error: null },
      { id: recent, status: 'pending', last_error: null },
    ]);
  });
});

describe('pruneSettled', () => {
  it('removes settled deliveries past retention and keeps pending ones', async () => {
    const registration = await registered();
    await fanOutBatch(createFanOutStore(db), {
      organizationId: registration.organizationId,
      chatId: 'CHAT5',
      stream: 'TEST_CHATS',
      streamSequence: 900,
      batch: {
        version: 2,
        requester: customer,
        notifications: [anIncomingEvent(), anIncomingEvent()],
      },
    });
    const rows = await db
      .selectFrom('deliveries')
      .select('id')
      .where('registration_id', '=', registration.id)
      .orderBy('id')
      .execute();
    expect(rows).toHaveLength(2);
    const old = new Date(Date.now() - 2 * 3_600_000);
    await db
      .updateTable('deliveries')
      .set({ status: 'delivered', updated_at: old })
      .where('id', '=', rows[0]!.id)
      .execute();
    await db
      .updateTable('deliveries')
      .set({ updated_at: old })
      .where('id', '=', rows[1]!.id)
      .execute();

    expect(await pruneSettled(db, 3_600_000)).toBeGreaterThanOrEqual(1);
    const left = await db
      .selectFrom('deliveries')
      .select(['id', 'status'])
      .where('registration_id', '=', registration.id)
      .execute();
    expect(left).toEqual([{ id: rows[1]!.id, status: 'pending' }]);
  });
});
