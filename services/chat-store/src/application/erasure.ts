import type { Command, Requester } from '@threadline/contracts';
import { ProtocolError } from '@threadline/protocol';
import type { ChatBatch, EventLog } from './ports.ts';

/** What an erasure did, as chat-store answers it (and the audit records): ids and counts only. */
export interface ErasureResult {
  customer_id: string;
  /** False when the customer had no key (nothing of theirs was ever stored, or erased before). */
  key_destroyed: boolean;
  chat_ids: string[];
  batches_reprojected: number;
}

export interface ErasureDeps {
  keys: { destroy(organizationId: string, customerId: string): Promise<boolean> };
  chatIdsOfCustomer(organizationId: string, customerId: string): Promise<string[]>;
  /** Folds a chat's stream into its projections again; answers how many batches it folded. */
  reprojectChat(organizationId: string, chatId: string): Promise<number>;
  /** Tells every replica at once to drop what it caches of the customer (keys, aggregates). */
  broadcast(organizationId: string, customerId: string, chatIds: string[]): void;
  /** Tells the other services (webhook delivery log) over the configuration stream. */
  announce(requester: Requester, result: ErasureResult): Promise<void>;
}

/** Who may erase: the organization's managers (as for configuration), or an operator (`system`). */
const erasingRoles = new Set(['owner', 'viceowner', 'administrator']);

/**
 * `erase_customer` {customer_id} (docs/erasure.md): destroys the customer's key first (from then
 * on nothing of theirs opens, in the stream or anywhere else), then folds each of their chats
 * into the projections again, so tables and search hold placeholders. Repeating it is safe: a
 * failure half-way is finished by the next attempt.
 */
export function createCustomerErasure(deps: ErasureDeps) {
  return async function eraseCustomer(command: Command): Promise<ErasureResult> {
    const requester = command.requester;
    if (!requester?.organizationId) throw new ProtocolError('validation', 'Requester is missing');
    if (requester.userType !== 'system' && !erasingRoles.has(requester.role))
      throw new ProtocolError(
        'not_allowed',
        'Only an owner, viceowner or administrator may erase customers',
      );
    const customerId = parseCustomerId(command.payloadJson);
    const organizationId = requester.organizationId;
    const keyDestroyed = await deps.keys.destroy(organizationId, customerId);
    const chatIds = await deps.chatIdsOfCustomer(organizationId, customerId);
    // Before re-projecting: other replicas must stop opening (and accepting) the customer's data.
    deps.broadcast(organizationId, customerId, chatIds);
    let batches = 0;
    for (const chatId of chatIds) batches += await deps.reprojectChat(organizationId, chatId);
    const result: ErasureResult = {
      customer_id: customerId,
      key_destroyed: keyDestroyed,
      chat_ids: chatIds,
      batches_reprojected: batches,
    };
    await deps.announce(requester, result);
    return result;
  };
}

/**
 * Re-projects one chat from its stream: the reusable step behind erasure (and any repair of one
 * chat). `eventLog` opens what it reads, so an erased customer's fields arrive as placeholders.
 */
export function createChatReprojection(
  eventLog: EventLog,
  projections: {
    replaceChat(organizationId: string, chatId: string, batches: ChatBatch[]): Promise<void>;
  },
  forgetAggregate: (organizationId: string, chatId: string) => void,
) {
  return async (organizationId: string, chatId: string): Promise<number> => {
    // The cached aggregate holds what the customer wrote, in the clear: load it afresh next time.
    forgetAggregate(organizationId, chatId);
    const stored = await eventLog.readChat(organizationId, chatId, 0);
    await projections.replaceChat(
      organizationId,
      chatId,
      stored.map(({ batch }) => batch),
    );
    return stored.length;
  };
}

function parseCustomerId(payloadJson: string): string {
  let payload: unknown;
  try {
    payload = JSON.parse(payloadJson || '{}');
  } catch {
    throw new ProtocolError('validation', 'Payload is not JSON');
  }
  const customerId = (payload as { customer_id?: unknown } | null)?.customer_id;
  if (typeof customerId !== 'string' || customerId === '')
    throw new ProtocolError('validation', '`customer_id` is required');
  return customerId;
}
