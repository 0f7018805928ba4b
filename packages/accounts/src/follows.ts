import type { Kysely } from 'kysely';
import type { AccountsDatabase } from './database.ts';

/** `follow_customer` (3.4/3.5): following twice is following once. */
export async function followCustomer(
  db: Kysely<AccountsDatabase>,
  input: { organizationId: string; customerId: string; agentId: string },
): Promise<void> {
  await db
    .insertInto('customer_follows')
    .values({
      organization_id: input.organizationId,
      customer_id: input.customerId,
      agent_id: input.agentId,
    })
    .onConflict((conflict) => conflict.doNothing())
    .execute();
}

/** `unfollow_customer`: unfollowing a customer one does not follow changes nothing. */
export async function unfollowCustomer(
  db: Kysely<AccountsDatabase>,
  input: { organizationId: string; customerId: string; agentId: string },
): Promise<void> {
  await db
    .deleteFrom('customer_follows')
    .where('organization_id', '=', input.organizationId)
    .where('customer_id', '=', input.customerId)
    .where('agent_id', '=', input.agentId)
    .execute();
}

/** The agents following a customer (they get its `customer_updated` pushes). */
export async function listCustomerFollowers(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  customerId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('customer_follows')
    .select('agent_id')
    .where('organization_id', '=', organizationId)
    .where('customer_id', '=', customerId)
    .orderBy('agent_id')
    .execute();
  return rows.map((row) => row.agent_id);
}

export interface PushNotificationSetting {
  firebaseToken: string;
  platform: string;
  enabled: boolean;
}

/**
 * `change_push_notifications` (3.4): one setting per agent and device token, the latest wins.
 * Threadline has no mobile push provider; the setting is kept for one to read.
 */
export async function setPushNotifications(
  db: Kysely<AccountsDatabase>,
  input: { organizationId: string; agentId: string } & PushNotificationSetting,
): Promise<void> {
  const values = {
    organization_id: input.organizationId,
    agent_id: input.agentId,
    firebase_token: input.firebaseToken,
    platform: input.platform,
    enabled: input.enabled,
    updated_at: new Date(),
  };
  await db
    .insertInto('agent_push_notifications')
    .values(values)
    .onConflict((conflict) =>
      conflict.columns(['organization_id', 'agent_id', 'firebase_token']).doUpdateSet({
        platform: values.platform,
        enabled: values.enabled,
        updated_at: values.updated_at,
      }),
    )
    .execute();
}

export async function listPushNotifications(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  agentId: string,
): Promise<PushNotificationSetting[]> {
  const rows = await db
    .selectFrom('agent_push_notifications')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('agent_id', '=', agentId)
    .orderBy('firebase_token')
    .execute();
  return rows.map((row) => ({
    firebaseToken: row.firebase_token,
    platform: row.platform,
    enabled: row.enabled,
  }));
}
