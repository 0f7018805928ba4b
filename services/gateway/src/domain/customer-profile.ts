import type { Identity } from '@threadline/accounts';

/**
 * A customer's session after `customer_updated` about that customer: chat-store names the
 * requester of each command from the session, so a name given in a pre-chat form must reach the
 * customer's open connections before their `start_chat`, on every gateway holding one (the push
 * goes to the customer's own subject). Undefined when the update is about someone else or
 * changes none of name, email and avatar.
 */
export function withCustomerProfile(identity: Identity, update: unknown): Identity | undefined {
  if (identity.userType !== 'customer') return undefined;
  const fields = (update ?? {}) as Record<string, unknown>;
  if (fields.id !== identity.userId) return undefined;
  const profile: Partial<Pick<Identity, 'name' | 'email' | 'avatar'>> = {};
  for (const key of ['name', 'email', 'avatar'] as const) {
    const value = fields[key];
    if (typeof value === 'string') profile[key] = value;
  }
  return Object.keys(profile).length === 0 ? undefined : { ...identity, ...profile };
}
