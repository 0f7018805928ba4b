import type { Bus, DurableConsumerLoop, Subjects } from '@threadline/bus';
import { ConfigurationChange } from '@threadline/contracts';
import type { Logger } from '@threadline/runtime';
import {
  type ConfigurationChangeToFanOut,
  fanOutConfigurationChange,
} from '../../application/fan-out-configuration-change.ts';
import type { ConfigurationFanOutStore } from '../../application/ports.ts';
import { parseJsonPayload, startFanOutConsumer } from './fan-out-consumer.ts';

/** The second durable consumer, on the configuration stream, shared by every webhook replica. */
export const webhookConfigurationConsumerName = 'webhook-configuration';

export function startConfigurationConsumer(deps: {
  bus: Bus;
  subjects: Subjects;
  store: ConfigurationFanOutStore;
  logger: Logger;
  onFannedOut: (enqueued: number) => void;
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
    fanOut: (input) => fanOutConfigurationChange(deps.store, input),
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
    },
  };
}
