import type { BotOwners } from './bot-ownership.ts';
import { asRecord, type ChatSnapshot } from './chat-snapshot.ts';
import { buildEnvelope, type WebhookEnvelope } from './envelope.ts';
import { matchesRegistration, type NotificationFacts, sourceTypes } from './matching.ts';
import type { Registration, SourceType } from './registration.ts';
import { webhookActions } from './webhook-actions.ts';
import { webhooksInVersion } from './webhook-versions.ts';

/** One `ConfigurationChange` as the webhook service needs it (docs/internal-contracts.md). */
export interface ConfigurationChangeFacts {
  organizationId: string;
  action: string;
  /**
   * Exactly the core version's push payload, which is also the webhook `payload` in that version:
   * an object, or an array (`auto_accesses_updated`).
   */
  payload: unknown;
  requester: { userId: string; userType: string };
  requesterClientId: string;
  requesterAccountId: string;
  /** For bot changes: the bot's owner client, when the change says (empty or absent: none). */
  botOwnerClientId?: string;
}

export interface PlannedConfigurationDelivery {
  registration: Registration;
  /** Which of the registration's webhooks for this change (3.4 gets one per auto access rule). */
  webhookIndex: number;
  envelope: WebhookEnvelope;
}

/**
 * The configuration actions: those whose only filter is `source_type`, in 3.6 and in 3.5 (whose
 * `incoming_customer` the gateway records for each customer it creates). Chat actions never come
 * from the configuration stream, so anything else on it announces no webhook.
 */
const configurationActions: ReadonlySet<string> = new Set(
  [...webhookActions('3.6'), ...webhookActions('3.5')]
    .filter((a) => a.filters.length === 1 && a.filters[0] === 'source_type')
    .map((a) => a.action),
);

/**
 * The gateway also records `customer_session_fields_updated` on the stream (customers are its
 * accounts): a webhook about one active chat, with chat filters and additional data.
 */
export const sessionFieldsAction = 'customer_session_fields_updated';

/**
 * The router records `routing_status_set` on the stream (routing statuses are its state):
 * filtered by `agent_ids` besides `source_type`.
 */
export const routingStatusAction = 'routing_status_set';

export function isConfigurationWebhookAction(action: string): boolean {
  return (
    configurationActions.has(action) ||
    action === sessionFieldsAction ||
    action === routingStatusAction
  );
}

/** The chat a `customer_session_fields_updated` change is about (its `active_chat.chat_id`). */
export function chatIdOf(change: Pick<ConfigurationChangeFacts, 'action' | 'payload'>) {
  if (change.action !== sessionFieldsAction) return undefined;
  const chatId = asRecord(asRecord(change.payload)?.active_chat)?.chat_id;
  return typeof chatId === 'string' && chatId !== '' ? chatId : undefined;
}

/**
 * Decides the webhooks one configuration change causes: for each registration of the change's
 * organization whose `source_type` (and, for session fields, `chat_presence`) filter holds, the
 * change as the registration's version names it (`webhooksInVersion`: usually one webhook; 3.4's
 * auto access webhooks one per rule); license webhooks only for owners that enabled them, bot
 * webhooks always. Registrations of other organizations are ignored.
 */
export function planConfigurationDeliveries(input: {
  change: ConfigurationChangeFacts;
  registrations: readonly Registration[];
  enabledLicenseOwners: ReadonlySet<string>;
  /** For `customer_session_fields_updated`: the chat as the webhook service knows it. */
  chat?: ChatSnapshot | undefined;
  /** The bots among the chat's users, for `chat_presence.my_bots`. */
  botOwners?: BotOwners | undefined;
}): PlannedConfigurationDelivery[] {
  const { change } = input;
  if (!isConfigurationWebhookAction(change.action)) return [];
  // The users the service has seen in the chat stand for its presence (chat_presence filter,
  // chat_presence_user_ids); a change carries no chat users of its own.
  const facts: NotificationFacts = {
    action: change.action,
    payload: asRecord(change.payload) ?? {},
    recipientUserIds: Object.keys(input.chat?.userTypes ?? {}),
    requester: change.requester,
    chat: input.chat,
    botOwners: input.botOwners,
  };
  return input.registrations
    .filter(
      (registration) =>
        registration.organizationId === change.organizationId &&
        (registration.type === 'bot' || input.enabledLicenseOwners.has(registration.ownerClientId)),
    )
    .filter((registration) => {
      const wanted = registration.filters.source_type;
      return !wanted || wanted.includes(changeSourceType(change, registration.ownerClientId));
    })
    .filter((registration) =>
      // source_type is decided above, from the change's client; the other filters as for chats.
      matchesRegistration(
        {
          ...registration,
          // A 3.4 registration names the change differently (auto_access_*): filters only here.
          action: change.action,
          filters: {
            chat_presence: registration.filters.chat_presence,
            agent_ids: registration.filters.agent_ids,
          },
        },
        facts,
      ),
    )
    .flatMap((registration) =>
      webhooksInVersion(registration, change.action, change.payload).map((webhook, index) => {
        const envelope = buildEnvelope(registration, facts, webhook);
        return {
          registration,
          webhookIndex: index,
          envelope: {
            ...envelope,
            // Chat additional data exists only for the chat the session fields are about.
            additional_data: change.action === sessionFieldsAction ? envelope.additional_data : {},
            requester: {
              user_id: change.requester.userId,
              account_id: change.requesterAccountId,
              client_id: change.requesterClientId,
            },
          },
        };
      }),
    );
}

/**
 * A change names the requester's client apart (`requester_client_id`): `my_client` when it is the
 * registration's owner, `system` when no user made it, else `other_clients` (a PAT included).
 */
export function changeSourceType(
  change: Pick<ConfigurationChangeFacts, 'requester' | 'requesterClientId'>,
  ownerClientId: string,
): SourceType {
  const requester = { userType: change.requester.userType, clientId: change.requesterClientId };
  return sourceTypes(requester, ownerClientId, ['other_clients'])[0]!;
}
