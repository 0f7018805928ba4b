import { createDatabase, type Kysely, migrate, migrateSchema, sql } from '@threadline/postgres';
import { decrypt, encrypt, keyBytes, newDataKey } from './envelope.ts';
import { migrations } from './migrations/index.ts';

export const personalDataSchema = 'personal_data';

/**
 * For `./threadline up` and tests only: anyone who reads this source can open what it sealed.
 * Production sets THREADLINE_MASTER_KEY (32 random bytes, base64).
 */
export const developmentMasterKey = 'dGhyZWFkbGluZS1kZXZlbG9wbWVudC1rZXktMDAwMDA=';

interface PersonalDataDatabase {
  customer_keys: {
    organization_id: string;
    customer_id: string;
    sealed_key: Buffer | null;
    erased_at: Date | null;
  };
}

/** True for the development key: services say so at startup, loudly. */
export function isDevelopmentMasterKey(key: Buffer): boolean {
  return key.equals(Buffer.from(developmentMasterKey, 'base64'));
}

/** Parses THREADLINE_MASTER_KEY (base64 of 32 bytes); throws on anything else. */
export function parseMasterKey(text: string): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== keyBytes)
    throw new Error(`THREADLINE_MASTER_KEY must be ${keyBytes} bytes, base64-encoded`);
  return key;
}

/** Where `openKeyRing` warns about the development key (a pino logger fits). */
interface MasterKeyLogger {
  warn(message: string): void;
}

export interface KeyRingOptions {
  url: string;
  masterKey: Buffer;
  /**
   * How long a live key is trusted from memory. Erasure on another replica reaches this one's
   * cache only after it; readers that must drop a key at once call `forget`.
   */
  cacheTtlMs?: number;
  maxCached?: number;
}

/**
 * Per-customer data keys (crypto-shredding): each customer's personal data is sealed with a key
 * of their own, stored sealed with the master key; erasing destroys it, and every copy of what
 * it sealed becomes unreadable at once, in the immutable log included.
 */
export async function openKeyRing(options: KeyRingOptions & { logger?: MasterKeyLogger }) {
  if (options.logger && isDevelopmentMasterKey(options.masterKey))
    options.logger.warn(
      'THREADLINE_MASTER_KEY is not set: using the development key, not for production',
    );
  const db = createDatabase<PersonalDataDatabase>({
    url: options.url,
    schema: personalDataSchema,
    poolSize: 2,
  });
  await migrate(db, personalDataSchema, migrations);
  return createKeyRing(db, options);
}

/** The key ring's tables, migrated without opening it: a deployment's migration step. */
export function migratePersonalData(url: string): Promise<void> {
  return migrateSchema(url, personalDataSchema, migrations);
}

export type KeyRing = ReturnType<typeof createKeyRing>;

function createKeyRing(db: Kysely<PersonalDataDatabase>, options: KeyRingOptions) {
  const ttlMs = options.cacheTtlMs ?? 60_000;
  const maxCached = options.maxCached ?? 50_000;
  // An erased key (null) never comes back, so it stays cached for good.
  const cache = new Map<string, { key: Buffer | null; until: number }>();
  const context = (organizationId: string, customerId: string) =>
    `master/${organizationId}/${customerId}`;

  function remember(organizationId: string, customerId: string, key: Buffer | null) {
    const id = cacheId(organizationId, customerId);
    cache.delete(id);
    cache.set(id, { key, until: key ? Date.now() + ttlMs : Number.POSITIVE_INFINITY });
    if (cache.size > maxCached) cache.delete(cache.keys().next().value as string);
    return key;
  }

  function cached(organizationId: string, customerId: string): Buffer | null | undefined {
    const entry = cache.get(cacheId(organizationId, customerId));
    return entry && entry.until > Date.now() ? entry.key : undefined;
  }

  function markErased(organizationId: string, customerId: string): void {
    remember(organizationId, customerId, null);
  }

  function unwrap(organizationId: string, customerId: string, sealed: Buffer | null) {
    return sealed ? decrypt(options.masterKey, sealed, context(organizationId, customerId)) : null;
  }

  /** Stored keys of these customers: a key, null when erased, absent when they have none yet. */
  async function load(organizationId: string, customerIds: string[]) {
    const found = new Map<string, Buffer | null>();
    const missing = customerIds.filter((id) => {
      const key = cached(organizationId, id);
      if (key !== undefined) found.set(id, key);
      return key === undefined;
    });
    if (missing.length === 0) return found;
    const rows = await db
      .selectFrom('customer_keys')
      .select(['customer_id', 'sealed_key'])
      .where('organization_id', '=', organizationId)
      .where('customer_id', 'in', missing)
      .execute();
    for (const row of rows) {
      const key = unwrap(organizationId, row.customer_id, row.sealed_key);
      found.set(row.customer_id, remember(organizationId, row.customer_id, key));
    }
    return found;
  }

  return {
    /** Keys to seal new data with: created on first use; null for an erased customer. */
    async sealingKeys(organizationId: string, customerIds: Iterable<string>) {
      const ids = [...new Set(customerIds)];
      const keys = await load(organizationId, ids);
      const absent = ids.filter((id) => !keys.has(id));
      if (absent.length === 0) return keys;
      // Two replicas may create a customer's first key together: the first insert wins.
      await db
        .insertInto('customer_keys')
        .values(
          absent.map((customerId) => ({
            organization_id: organizationId,
            customer_id: customerId,
            sealed_key: encrypt(
              options.masterKey,
              newDataKey(),
              context(organizationId, customerId),
            ),
          })),
        )
        .onConflict((conflict) => conflict.columns(['organization_id', 'customer_id']).doNothing())
        .execute();
      for (const [id, key] of await load(organizationId, absent)) keys.set(id, key);
      return keys;
    },

    /** Keys to open stored data with; an erased (or unknown) customer has none. */
    openingKeys(organizationId: string, customerIds: Iterable<string>) {
      return load(organizationId, [...new Set(customerIds)]);
    },

    /**
     * Destroys the customer's key (keeping the row, so the erasure is remembered and no new key
     * is ever made for them). Answers whether there was a key to destroy.
     */
    async destroy(organizationId: string, customerId: string): Promise<boolean> {
      const before = await db
        .selectFrom('customer_keys')
        .select('sealed_key')
        .where('organization_id', '=', organizationId)
        .where('customer_id', '=', customerId)
        .executeTakeFirst();
      await db
        .insertInto('customer_keys')
        .values({
          organization_id: organizationId,
          customer_id: customerId,
          sealed_key: null,
          erased_at: new Date(),
        })
        .onConflict((conflict) =>
          conflict.columns(['organization_id', 'customer_id']).doUpdateSet({
            sealed_key: null,
            erased_at: sql<Date>`coalesce(customer_keys.erased_at, now())`,
          }),
        )
        .execute();
      markErased(organizationId, customerId);
      return Boolean(before?.sealed_key);
    },

    /** True once the customer is erased. */
    async isErased(organizationId: string, customerId: string): Promise<boolean> {
      return (await load(organizationId, [customerId])).get(customerId) === null;
    },

    /** Drops a cached key for good: another replica erased its customer. */
    markErased,

    close: () => db.destroy(),
  };
}

function cacheId(organizationId: string, customerId: string): string {
  return `${organizationId}\u0000${customerId}`;
}
