import type { Kysely } from 'kysely';
import type { AccountsDatabase } from './database.ts';
import { isUuid } from './validation.ts';

/** An erasure as the audit keeps it: who, when, and what it touched; no personal data. */
export interface CustomerErasure {
  id: string;
  customerId: string;
  erasedBy: string;
  erasedByType: string;
  erasedAt: Date;
  keyDestroyed: boolean;
  chatsReprojected: number;
  batchesReprojected: number;
  customerRecordErased: boolean;
}

/** What chat-store's `erase_customer` answers. */
export interface ShreddedChats {
  key_destroyed: boolean;
  chat_ids: string[];
  batches_reprojected: number;
}

export interface ErasureRequest {
  organizationId: string;
  customerId: string;
  erasedBy: string;
  erasedByType: string;
}

/**
 * Erases a customer (docs/erasure.md): `shred` first (chat-store destroys their key and
 * re-projects their chats; from then on nothing of theirs opens anywhere), then their accounts
 * record is anonymized, their tokens revoked, and the audit written, in one transaction. Undefined
 * when the organization has no such customer. Repeating it after a failure finishes the job.
 */
export async function eraseCustomer(
  db: Kysely<AccountsDatabase>,
  request: ErasureRequest,
  shred: () => Promise<ShreddedChats>,
): Promise<CustomerErasure | undefined> {
  const { organizationId, customerId } = request;
  if (!isUuid(organizationId) || !isUuid(customerId)) return undefined;
  const customer = await db
    .selectFrom('customers')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!customer) return undefined;
  const shredded = await shred();
  return db.transaction().execute(async (trx) => {
    const anonymized = await trx
      .updateTable('customers')
      .set({
        name: null,
        email: null,
        avatar: null,
        session_fields: '[]',
        cookie_secret_hash: null,
        phone_number: null,
        address: null,
        omnichannel: null,
        last_page: null,
        updated_at: new Date(),
      })
      .where('organization_id', '=', organizationId)
      .where('id', '=', customerId)
      .executeTakeFirst();
    await trx
      .deleteFrom('issued_tokens')
      .where('organization_id', '=', organizationId)
      .where('entity_type', '=', 'customer')
      .where('entity_id', '=', customerId)
      .execute();
    await trx
      .deleteFrom('identity_transfers')
      .where('organization_id', '=', organizationId)
      .where('customer_id', '=', customerId)
      .execute();
    const row = await trx
      .insertInto('customer_erasures')
      .values({
        organization_id: organizationId,
        customer_id: customerId,
        erased_by: request.erasedBy,
        erased_by_type: request.erasedByType,
        key_destroyed: shredded.key_destroyed,
        chats_reprojected: shredded.chat_ids.length,
        batches_reprojected: shredded.batches_reprojected,
        customer_record_erased: anonymized.numUpdatedRows > 0n,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toErasure(row);
  });
}

/** The organization's erasures, newest first. */
export async function listCustomerErasures(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  limit = 100,
): Promise<CustomerErasure[]> {
  if (!isUuid(organizationId)) return [];
  const rows = await db
    .selectFrom('customer_erasures')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('erased_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toErasure);
}

function toErasure(row: {
  id: string;
  customer_id: string;
  erased_by: string;
  erased_by_type: string;
  erased_at: Date;
  key_destroyed: boolean;
  chats_reprojected: number;
  batches_reprojected: number;
  customer_record_erased: boolean;
}): CustomerErasure {
  return {
    id: row.id,
    customerId: row.customer_id,
    erasedBy: row.erased_by,
    erasedByType: row.erased_by_type,
    erasedAt: row.erased_at,
    keyDestroyed: row.key_destroyed,
    chatsReprojected: row.chats_reprojected,
    batchesReprojected: row.batches_reprojected,
    customerRecordErased: row.customer_record_erased,
  };
}

/** An erasure as the Configuration API and the CLI show it (`list_customer_erasures`). */
export function erasureView(erasure: CustomerErasure) {
  return {
    id: erasure.id,
    customer_id: erasure.customerId,
    erased_by: erasure.erasedBy,
    erased_by_type: erasure.erasedByType,
    erased_at: erasure.erasedAt.toISOString(),
    key_destroyed: erasure.keyDestroyed,
    chats_reprojected: erasure.chatsReprojected,
    batches_reprojected: erasure.batchesReprojected,
    customer_record_erased: erasure.customerRecordErased,
  };
}
