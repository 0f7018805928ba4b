import type { VersionPush } from '@threadline/protocol';
import { asRecord } from './chat-snapshot.ts';
import type { NotificationFacts } from './matching.ts';
import type { Registration } from './registration.ts';

/** LiveChat's webhook body (3.4+; older versions said `license_id`). */
export interface WebhookEnvelope {
  webhook_id: string;
  secret_key: string;
  action: string;
  organization_id: string;
  /** An object; an array for `auto_accesses_updated`. */
  payload: unknown;
  additional_data: {
    chat_properties?: Record<string, unknown>;
    chat_presence_user_ids?: string[];
  };
  /** Configuration webhooks only: who made the change (LiveChat's `requester`). */
  requester?: { user_id: string; account_id: string; client_id: string };
}

/**
 * The webhook a registration receives for a notification: `webhook` is the notification as the
 * registration's version names and shapes it (`webhooksInVersion`; the core's by default). The
 * payload is the agent push's, except `incoming_chat`, whose webhook carries `{chat}` only.
 */
export function buildEnvelope(
  registration: Registration,
  facts: NotificationFacts,
  webhook: VersionPush = facts,
): WebhookEnvelope {
  const additional: WebhookEnvelope['additional_data'] = {};
  if (registration.additionalData.includes('chat_properties')) {
    additional.chat_properties = chatProperties(facts);
  }
  if (registration.additionalData.includes('chat_presence_user_ids')) {
    additional.chat_presence_user_ids = [...facts.recipientUserIds];
  }
  return {
    webhook_id: registration.id,
    secret_key: registration.secretKey,
    action: webhook.action,
    organization_id: registration.organizationId,
    payload: webhookPayload(webhook.action, webhook.payload),
    additional_data: additional,
  };
}

export function webhookPayload(action: string, payload: unknown): unknown {
  return action === 'incoming_chat' ? { chat: asRecord(payload)?.chat } : payload;
}

function chatProperties(facts: NotificationFacts): Record<string, unknown> {
  const own = asRecord(asRecord(facts.payload.chat)?.properties);
  return own ?? facts.chat?.properties ?? {};
}
