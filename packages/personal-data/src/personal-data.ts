import type { KeyRing } from './key-ring.ts';
import { customersIn, openValue, sealedOwnersIn, sealValue } from './sealing.ts';

/**
 * Seals the personal data of the customers `value` carries (chat users and requesters of type
 * customer, plus `also`: e.g. the customers of the chat it belongs to, whose events it may hold).
 */
export async function sealPersonalData<T>(
  ring: Pick<KeyRing, 'sealingKeys'>,
  organizationId: string,
  value: T,
  also: Iterable<string> = [],
): Promise<T> {
  const customers = customersIn(value, new Set(also));
  if (customers.size === 0) return value;
  return sealValue(value, organizationId, await ring.sealingKeys(organizationId, customers));
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
