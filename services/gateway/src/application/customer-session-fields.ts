import type { Identity } from '@threadline/accounts';
import type { ConfigurationChanges } from './configuration-changes.ts';

/**
 * `customer_session_fields_updated` is a webhook without a push (LiveChat: one per active chat of
 * the customer, `{id, active_chat{chat_id, thread_id}, session_fields}`). The customer lives in the
 * gateway's accounts, so the gateway records it durably on the configuration stream for the
 * webhook service, without the organization-wide push (agents hear `customer_updated` instead).
 */
export async function recordSessionFieldsUpdated(
  changes: ConfigurationChanges,
  requester: Identity,
  customerId: string,
  sessionFields: readonly Record<string, string>[],
  activeChats: readonly { chatId: string; threadId: string }[],
): Promise<void> {
  for (const chat of activeChats) {
    await changes.announce(
      requester,
      'customer_session_fields_updated',
      {
        id: customerId,
        active_chat: { chat_id: chat.chatId, thread_id: chat.threadId },
        session_fields: sessionFields,
      },
      { push: false },
    );
  }
}
