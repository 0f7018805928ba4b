/** A `customer_erased` configuration change, as chat-store announces it (docs/erasure.md). */
export interface CustomerErasure {
  organizationId: string;
  customerId: string;
  chatIds: string[];
}

export const customerErasedAction = 'customer_erased';

/** Reads a `customer_erased` payload `{customer_id, chat_ids}`; undefined when it is not one. */
export function readCustomerErasure(
  organizationId: string,
  payload: unknown,
): CustomerErasure | undefined {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  const { customer_id: customerId, chat_ids: chatIds } = payload as Record<string, unknown>;
  if (typeof customerId !== 'string' || customerId === '') return undefined;
  const chats = Array.isArray(chatIds) ? chatIds.filter((id) => typeof id === 'string') : [];
  return { organizationId, customerId, chatIds: chats };
}
