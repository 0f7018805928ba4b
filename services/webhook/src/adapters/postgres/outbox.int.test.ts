import { afterAll, describe, expect, it } from 'vitest';
import { openMigratedDatabase } from '../../../test/database.ts';
import { anIncomingChat, anIncomingEvent, aRegistration } from '../../../test/factories.ts';
import { fanOutBatch } from '../../application/fan-out-batch.ts';
import { createDeliveryQueue, createFanOutStore, pruneSettled } from './outbox.ts';
import { insertRegistration, setLicenseWebhooksEnabled } from './registrations.ts';

const { db, close } = await openMigratedDatabase();
afterAll(close);

const customer = { userId: 'customer-1', userType: 'customer' };
let sequence = 0;

async function registered(overrides: Parameters<typeof aRegistration>[0] = {}) {
  const registration = aRegistration({
    id: Math.random().toString(16).slice(2).padEnd(32, '0').slice(0, 32),
    organizationId: `org-${++sequence}`,
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

describe('fanOutBatch on Postgres', () => {
  it('enqueues once per batch position, however often the batch is handled', async () => {
    const registration = await registered();
    const input = {
      organizationId: registration.organizationId,
      chatId: 'CHAT1',
      stream: 'TEST_CHATS',
      streamSequence: 42,
      batch: { version: 2, requester: customer, notifications: [anIncomingEvent()] },
    };
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
    const [row] = await db
      .selectFrom('deliveries')
      .select('body')
      .where('registration_id', '=', registration.id)
      .execute();
    expect(JSON.parse(row!.body).additional_data.chat_properties.source).toEqual({
      client_id: 'client-1',
    });
  });
});

describe('delivery queue', () => {
  it('never hands one delivery to two workers', async () => {
    const registration = await registered();
    const store = createFanOutStore(db);
    for (let streamSequence = 100; streamSequence < 120; streamSequence += 1) {
      await fanOutBatch(store, {
        organizationId: registration.organizationId,
        chatId: 'CHAT3',
        stream: 'TEST_CHATS',
        streamSequence,
        batch: { version: 2, requester: customer, notifications: [anIncomingEvent()] },
      });
    }
    const queue = createDeliveryQueue(db);
    const claims = await Promise.all([1, 2, 3, 4].map(() => queue.claimDue(50, 10_000)));
    const ids = claims.flat().map((delivery) => delivery.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(20);
    // Leased: nothing is due again until the lease runs out.
    expect(await queue.claimDue(50, 10_000)).toEqual([]);
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
    const first = (await queue.claimDue(100, 0)).find((d) => d.id === id);
    expect(first).toMatchObject({ attempts: 1 });
    // The lease (0 ms) ran out and another worker claimed it again.
    const second = (await queue.claimDue(100, 60_000)).find((d) => d.id === first!.id)!;
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
