import { createDatabase, type Kysely } from '@threadline/postgres';
import { createTestDatabase, type TestDatabase } from '@threadline/testkit';
import { testInfrastructure } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { banCustomer, findActiveBan, listCustomerBans, unbanCustomer } from './bans.ts';
import { createCustomer } from './customers.ts';
import type { AccountsDatabase } from './database.ts';
import { createIdentityTransfer, redeemIdentityTransfer } from './identity-transfers.ts';
import { accountsSchema, migrateAccounts } from './migrations/index.ts';
import { createOrganization } from './organizations.ts';

let database: TestDatabase;
let db: Kysely<AccountsDatabase>;
let organizationId: string;

beforeAll(async () => {
  database = await createTestDatabase(testInfrastructure().databaseUrl);
  db = createDatabase<AccountsDatabase>({ url: database.url, schema: accountsSchema });
  await migrateAccounts(db);
  organizationId = (await createOrganization(db, { name: 'Bans' })).id;
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

const day = 24 * 60 * 60 * 1000;

describe('customer bans', () => {
  it('hold for their days, are replaced by a new ban, and can be lifted', async () => {
    const { id } = await createCustomer(db, { organizationId });
    const start = new Date('2030-01-01T00:00:00Z');
    await banCustomer(db, {
      organizationId,
      customerId: id,
      days: 2,
      bannedBy: 'a@x.test',
      now: start,
    });
    expect(
      await findActiveBan(db, organizationId, id, new Date(start.getTime() + day)),
    ).toMatchObject({
      days: 2,
      bannedBy: 'a@x.test',
    });
    expect(
      await findActiveBan(db, organizationId, id, new Date(start.getTime() + 2 * day)),
    ).toBeUndefined();

    await banCustomer(db, {
      organizationId,
      customerId: id,
      days: 5,
      bannedBy: 'b@x.test',
      now: start,
    });
    const bans = await listCustomerBans(db, organizationId, new Date(start.getTime() + 3 * day));
    expect(bans).toEqual([
      expect.objectContaining({ customerId: id, days: 5, bannedBy: 'b@x.test' }),
    ]);
    expect(await unbanCustomer(db, organizationId, id)).toBe(true);
    expect(await unbanCustomer(db, organizationId, id)).toBe(false);
    expect(await findActiveBan(db, organizationId, 'not-a-uuid')).toBeUndefined();
  });
});

describe('identity transfers', () => {
  it('are redeemed once, by their client, before they expire', async () => {
    const { id } = await createCustomer(db, { organizationId });
    const now = new Date('2030-01-01T00:00:00Z');
    const first = await createIdentityTransfer(db, {
      organizationId,
      customerId: id,
      clientId: 'app',
      now,
    });
    expect(first.expiresIn).toBe(3600);
    const late = new Date(now.getTime() + 3_601_000);
    expect(
      await redeemIdentityTransfer(db, { token: first.token, clientId: 'app', now: late }),
    ).toEqual({
      ok: false,
      reason: 'unknown_or_expired',
    });
    const second = await createIdentityTransfer(db, {
      organizationId,
      customerId: id,
      clientId: 'app',
      now,
    });
    expect(await redeemIdentityTransfer(db, { token: second.token, clientId: 'web', now })).toEqual(
      {
        ok: false,
        reason: 'wrong_client',
      },
    );
    const third = await createIdentityTransfer(db, {
      organizationId,
      customerId: id,
      clientId: 'app',
      now,
    });
    expect(await redeemIdentityTransfer(db, { token: third.token, clientId: 'app', now })).toEqual({
      ok: true,
      organizationId,
      customerId: id,
    });
  });
});
