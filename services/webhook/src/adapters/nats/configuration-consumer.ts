import type { Bus, DurableConsumerLoop, Subjects } from '@threadline/bus';
import { ConfigurationChange } from '@threadline/contracts';
import type { Logger } from '@threadline/runtime';
import {
  type CustomerErasure,
  customerErasedAction,
  readCustomerErasure,
} from '../../application/customer-erasure.ts';
import {
  type ConfigurationChangeToFanOut,
  fanOutConfigurationChange,
} from '../../application/fan-out-configuration-change.ts';
import type { BotOwnershipStore, ConfigurationFanOutStore } from '../../application/ports.ts';
import { botOwnershipChange } from '../../domain/bot-ownership.ts';
import { parseJsonPayload, startFanOutConsumer } from './fan-out-consumer.ts';

/** The second durable consumer, on the configuration stream, shared by every webhook replica. */
export const webhookConfigurationConsumerName = 'webhook-configuration';

export function startConfigurationConsumer(deps: {
  bus: Bus;
  subjects: Subjects;
  store: ConfigurationFanOutStore;
  /** Kept from `bot_created` / `bot_deleted` before they fan out, for `chat_presence.my_bots`. */
  bots: BotOwnershipStore;
  logger: Logger;
  onFannedOut: (enqueued: number) => void;
  /** A `customer_erased` change: redact the customer's deliveries instead of fanning out. */
  onCustomerErased: (erasure: CustomerErasure) => Promise<void>;
}): Promise<DurableConsumerLoop> {
  const stream = deps.subjects.configurationStream;
  return startFanOutConsumer({
    ...deps,
    stream,
    durable: webhookConfigurationConsumerName,
    filterSubject: deps.subjects.allConfigurationChanges,
    what: 'configuration change',
    read: (message) =>
      toConfigurationChangeToFanOut(
        ConfigurationChange.decode(message.data),
        `${stream}/${message.info.streamSequence}`,
      ),
    fanOut: async (input) => {
      const { action, organizationId, payload } = input.change;
      const ownership = botOwnershipChange(input.change);
      if (ownership) await deps.bots.record(organizationId, ownership);
      const erasure =
        action === customerErasedAction ? readCustomerErasure(organizationId, payload) : undefined;
      if (!erasure) return fanOutConfigurationChange(deps.store, input);
      await deps.onCustomerErased(erasure);
      return 0;
    },
  });
}

/**
 * Maps the protobuf change to what the application needs; throws when its payload is not a JSON
 * object or array. `fallbackId` (the stream position) names a change published without a `change_id`.
 */
export function toConfigurationChangeToFanOut(
  change: ConfigurationChange,
  fallbackId: string,
): ConfigurationChangeToFanOut {
  const payload = parseJsonPayload(change.payloadJson);
  return {
    changeId: change.changeId || fallbackId,
    change: {
      organizationId: change.organizationId,
      action: change.action,
      payload,
      requester: {
        userId: change.requester?.userId ?? '',
        userType: change.requester?.userType ?? '',
      },
      requesterClientId: change.requesterClientId,
      requesterAccountId: change.requesterAccountId,
      botOwnerClientId: change.botOwnerClientId,
    },
  };
}
