import { type Kysely, sql } from 'kysely';
import type { CustomerErasure } from '../../application/customer-erasure.ts';
import type { WebhookDatabase } from './database.ts';

/** What a redacted delivery's `payload` becomes. */
export const redactedPayload = { redacted: 'customer_erased' };

/**
 * Redacts the delivery log of an erased customer (docs/erasure.md): every delivery of their chats
 * (ordered by chat id) or naming them in its body loses its payload, the receivers' answers
 * to it are dropped, and what was still pending is given up (it would send their data).
 */
export async function redactCustomerDeliveries(
  db: Kysely<WebhookDatabase>,
  erasure: CustomerErasure,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const redacted = await trx
      .updateTable('deliveries')
      .set({
        // The envelope keeps its action and ids; the payload and additional data go.
        body: sql`((body::jsonb - 'additional_data') || jsonb_build_object('payload', ${JSON.stringify(redactedPayload)}::jsonb))::text`,
        status: sql`CASE WHEN status = 'pending' THEN 'dead' ELSE status END`,
        last_error: sql`CASE WHEN status = 'pending' THEN 'customer erased' ELSE last_error END`,
        updated_at: sql`now()`,
      })
      .where('organization_id', '=', erasure.organizationId)
      .where((where) =>
        where.or([
          ...(erasure.chatIds.length ? [where('ordering_key', 'in', erasure.chatIds)] : []),
          where(sql`strpos(body, ${erasure.customerId})`, '>', 0),
        ]),
      )
      .returning('id')
      .execute();
    const ids = redacted.map((row) => row.id);
    if (ids.length)
      await trx
        .updateTable('delivery_attempts')
        .set({ response_body_prefix: null })
        .where('delivery_id', 'in', ids)
        .execute();
    return ids.length;
  });
}
