import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@threadline/testkit';
import { testInfrastructure } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDataKey, SealBrokenError } from './envelope.ts';
import { type KeyRing, openKeyRing } from './key-ring.ts';

let database: TestDatabase;
let rings: KeyRing[];
const masterKey = newDataKey();
const organizationId = randomUUID();

beforeAll(async () => {
  database = await createTestDatabase(testInfrastructure().databaseUrl, 'personal_data_test');
  // Two replicas starting together: migrations and first keys race on purpose.
  rings = await Promise.all([0, 1].map(() => openKeyRing({ url: database.url, masterKey })));
});

afterAll(async () => {
  await Promise.all(rings.map((ring) => ring.close()));
  await database.drop();
});

describe('key ring', () => {
  it("gives two replicas racing on a customer's first key the same key", async () => {
    const customerId = randomUUID();
    const [first, second] = await Promise.all(
      rings.map((ring) => ring.sealingKeys(organizationId, [customerId])),
    );
    expect(first?.get(customerId)).toHaveLength(32);
    expect(first?.get(customerId)?.equals(second?.get(customerId) as Buffer)).toBe(true);
  });

  it('keeps keys apart per organization', async () => {
    const customerId = randomUUID();
    const here = await rings[0]!.sealingKeys(organizationId, [customerId]);
    const there = await rings[0]!.sealingKeys(randomUUID(), [customerId]);
    expect(here.get(customerId)?.equals(there.get(customerId) as Buffer)).toBe(false);
  });

  it('destroys a key for good: no replica opens with it, none makes a new one', async () => {
    const customerId = randomUUID();
    await rings[1]!.sealingKeys(organizationId, [customerId]);
    expect(await rings[0]!.destroy(organizationId, customerId)).toBe(true);
    // The other replica never cached it, so it reads the erasure from the table.
    const fresh = await openKeyRing({ url: database.url, masterKey });
    try {
      expect((await fresh.openingKeys(organizationId, [customerId])).get(customerId)).toBeNull();
      expect((await fresh.sealingKeys(organizationId, [customerId])).get(customerId)).toBeNull();
      expect(await fresh.isErased(organizationId, customerId)).toBe(true);
    } finally {
      await fresh.close();
    }
    expect(await rings[0]!.destroy(organizationId, customerId)).toBe(false);
  });

  it('refuses to open keys under another master key', async () => {
    const customerId = randomUUID();
    await rings[0]!.sealingKeys(organizationId, [customerId]);
    const wrong = await openKeyRing({ url: database.url, masterKey: newDataKey() });
    try {
      await expect(wrong.openingKeys(organizationId, [customerId])).rejects.toThrow(
        SealBrokenError,
      );
    } finally {
      await wrong.close();
    }
  });
});
