import type { KeyRing } from './key-ring.ts';
import { customersIn, openValue, sealedOwnersIn, sealValue } from './sealing.ts';

/**
 * Seals the personal data of the customers `value` carries (chat users and requesters of type
 * customer) and of `chatCustomers`, the customers of the chat it belongs to: their events may be
 * in it without them, and thread summaries (which quote them) are sealed with the first one's key.
 */
export async function sealPersonalData<T>(
  ring: Pick<KeyRing, 'sealingKeys'>,
  organizationId: string,
  value: T,
  chatCustomers: readonly string[] = [],
): Promise<T> {
  const customers = customersIn(value, new Set(chatCustomers));
  if (customers.size === 0) return value;
  const keys = await ring.sealingKeys(organizationId, customers);
  return sealValue(value, organizationId, keys, chatCustomers[0]);
}

/** Opens what `sealPersonalData` sealed; an erased customer's fields read as placeholders. */
export async function openPersonalData<T>(
  ring: Pick<KeyRing, 'openingKeys'>,
  organizationId: string,
  value: T,
): Promise<T> {
  const owners = sealedOwnersIn(value);
  if (owners.size === 0) return value;
  return openValue(value, organizationId, await ring.openingKeys(organizationId, owners));
}
