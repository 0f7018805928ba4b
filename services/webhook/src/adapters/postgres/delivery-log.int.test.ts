import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { openMigratedDatabase } from '../../../test/database.ts';
import { aRegistration } from '../../../test/factories.ts';
import type { AttemptRecord } from '../../application/ports.ts';
import { createDeliveryLog } from './delivery-log.ts';
import { createDeliveryQueue, expireOverdue, pruneSettled } from './outbox.ts';
import { insertRegistration } from './registrations.ts';

const { db, close } = await openMigratedDatabase();
afterAll(close);

const newId = () => randomBytes(16).toString('hex');

/** A registration of its own organization with `count` pending deliveries, oldest first. */
async function aWebhookWithDeliveries(count: number) {
  const registration = aRegistration({ id: newId(), organizationId: newId() });
  await insertRegistration(db, registration, 3);
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const id = newId();
    ids.push(id);
    await db
      .insertInto('deliveries')
      .values({
        id,
        registration_id: registration.id,
        organization_id: registration.organizationId,
        action: 'incoming_event',
        url: registration.url,
        body: JSON.stringify({ payload: { index } }),
        created_at: new Date(Date.now() - (count - index) * 60_000),
      })
      .execute();
  }
  const scope = { organizationId: registration.organizationId };
  return { registration, ids, scope };
}

const anyRoom = { inFlight: new Map<string, number>(), limit: 1_000 };

async function claim(id: string, leaseMs = 60_000) {
  const claimed = await createDeliveryQueue(db).claimDue(1_000, leaseMs, anyRoom);
  return claimed.find((delivery) => delivery.id === id)!;
}

const anAttempt = (overrides: Partial<AttemptRecord> = {}): AttemptRecord => ({
  startedAt: new Date(),
  durationMs: 7,
  statusCode: 503,
  error: 'HTTP 503',
  ...overrides,
});

async function logOf(deliveryId: string) {
  return db
    .selectFrom('delivery_attempts')
    .selectAll()
    .where('delivery_id', '=', deliveryId)
    .orderBy('id')
    .execute();
}

describe('the delivery log on Postgres', () => {
  it('logs an attempt with its outcome, and not the outcome of a superseded claim', async () => {
    const { ids } = await aWebhookWithDeliveries(1);
    const queue = createDeliveryQueue(db);
    const stale = await claim(ids[0]!, 0);
    const current = await claim(ids[0]!);
    await queue.scheduleRetry(stale, 1_000, 'HTTP 503', anAttempt());
    await queue.markDelivered(
      current,
      anAttempt({ statusCode: 200, error: undefined, responseBodyPrefix: 'x'.repeat(3000) }),
    );
    const log = await logOf(ids[0]!);
    expect(log).toEqual([
      expect.objectContaining({
        attempt: 2,
        outcome: 'delivered',
        status_code: 200,
        error: null,
        duration_ms: 7,
      }),
    ]);
    expect(log[0]!.response_body_prefix).toHaveLength(1024);
  });

  it('prunes the log with its delivery', async () => {
    const { ids } = await aWebhookWithDeliveries(1);
    const delivery = await claim(ids[0]!);
    await createDeliveryQueue(db).markDead(delivery, 'HTTP 500', anAttempt({ statusCode: 500 }));
    await db
      .updateTable('deliveries')
      .set({ updated_at: new Date(Date.now() - 7_200_000) })
      .where('id', '=', ids[0]!)
      .execute();
    await pruneSettled(db, 3_600_000);
    expect(await logOf(ids[0]!)).toEqual([]);
  });

  it('sends a dead delivery again with a new retry budget, keeping its log', async () => {
    const { ids, scope } = await aWebhookWithDeliveries(1);
    const delivery = await claim(ids[0]!);
    await createDeliveryQueue(db).markDead(delivery, 'HTTP 500', anAttempt({ statusCode: 500 }));
    const log = createDeliveryLog(db);
    expect(await log.redeliver({ ...scope, ownerClientId: 'someone-else' }, ids[0]!)).toBe(false);
    expect(await log.redeliver({ organizationId: newId() }, ids[0]!)).toBe(false);
    expect(await log.redeliver(scope, ids[0]!)).toBe(true);
    const row = await db
      .selectFrom('deliveries')
      .selectAll()
      .where('id', '=', ids[0]!)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', attempts: 0, delivered_at: null });
    expect(row.next_attempt_at.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);
    expect(await logOf(ids[0]!)).toHaveLength(1);
  });

  it('gives a redelivered old delivery its whole retry schedule again', async () => {
    const { ids, scope } = await aWebhookWithDeliveries(1);
    await createDeliveryQueue(db).markDead(await claim(ids[0]!), 'HTTP 503', anAttempt());
    const lastWeek = new Date(Date.now() - 7 * 24 * 3_600_000);
    await db
      .updateTable('deliveries')
      .set({ created_at: lastWeek, pending_since: lastWeek })
      .where('id', '=', ids[0]!)
      .execute();
    expect(await createDeliveryLog(db).redeliver(scope, ids[0]!)).toBe(true);
    // Overdue is counted from the redelivery, not from last week's creation.
    await expireOverdue(db, 3_600_000);
    const row = await db
      .selectFrom('deliveries')
      .select('status')
      .where('id', '=', ids[0]!)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
  });

  it('makes a pending delivery due now without touching its attempts', async () => {
    const { ids, scope } = await aWebhookWithDeliveries(1);
    const delivery = await claim(ids[0]!);
    await createDeliveryQueue(db).scheduleRetry(delivery, 3_600_000, 'HTTP 503', anAttempt());
    expect(await createDeliveryLog(db).redeliver(scope, ids[0]!)).toBe(true);
    const claimedAgain = await claim(ids[0]!);
    expect(claimedAgain.attempts).toBe(2);
  });

  it('replays a range oldest first, due in that order, and lists newest first by page', async () => {
    const { registration, ids, scope } = await aWebhookWithDeliveries(5);
    const queue = createDeliveryQueue(db);
    const claimed = await queue.claimDue(1_000, 60_000, anyRoom);
    for (const delivery of claimed.filter(({ id }) => ids.includes(id))) {
      await queue.markDelivered(delivery, anAttempt({ statusCode: 204, error: undefined }));
    }
    const log = createDeliveryLog(db);
    const created = await db
      .selectFrom('deliveries')
      .select(['id', 'created_at'])
      .where('registration_id', '=', registration.id)
      .orderBy('created_at')
      .execute();
    const from = created[1]!.created_at.toISOString();
    const to = created[4]!.created_at.toISOString();
    expect(await log.replay(scope, registration.id, { from, to }, 10)).toEqual({ replayed: 3 });
    const due = await db
      .selectFrom('deliveries')
      .select('id')
      .where('registration_id', '=', registration.id)
      .where('status', '=', 'pending')
      .orderBy('next_attempt_at')
      .execute();
    expect(due.map((row) => row.id)).toEqual(ids.slice(1, 4));

    const page = { filters: { webhookId: registration.id }, limit: 2, sortOrder: 'desc' as const };
    const first = await log.listDeliveries({ ...page, direction: 'forward' }, 3);
    expect(first.map((delivery) => delivery.id)).toEqual([ids[4], ids[3], ids[2]]);
    expect(first[0]).toMatchObject({
      status: 'delivered',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
      attemptsLog: [{ attempt: 1, outcome: 'delivered', statusCode: 204, durationMs: 7 }],
    });
    const cursor: [string, string] = [first[1]!.createdAt, first[1]!.id];
    const next = await log.listDeliveries({ ...page, direction: 'forward', cursor }, 3);
    expect(next.map((delivery) => delivery.id)).toEqual([ids[2], ids[1], ids[0]]);
    const pending = await log.listDeliveries(
      { ...page, filters: { webhookId: registration.id, status: 'pending' }, direction: 'forward' },
      10,
    );
    expect(pending.map((delivery) => delivery.id)).toEqual([ids[3], ids[2], ids[1]]);
  });

  it('replays at most the limit, oldest first, and says where to go on', async () => {
    const { registration, ids, scope } = await aWebhookWithDeliveries(3);
    const log = createDeliveryLog(db);
    const from = '2020-01-01T00:00:00Z';
    const first = await log.replay(scope, registration.id, { from }, 2);
    const [third] = await log.listDeliveries(
      {
        filters: { webhookId: registration.id },
        limit: 1,
        sortOrder: 'desc',
        direction: 'forward',
      },
      1,
    );
    expect(first).toEqual({ replayed: 2, nextFrom: third!.createdAt });
    expect(third!.id).toBe(ids[2]);
    expect(await log.replay(scope, registration.id, { from: first.nextFrom }, 2)).toEqual({
      replayed: 1,
    });
  });
});
