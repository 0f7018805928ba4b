import {
  type Bus,
  type DurableConsumerLoop,
  ensureDurableConsumer,
  runDurableConsumer,
  type Subjects,
} from '@threadline/bus';
import { ConfigurationChange } from '@threadline/contracts';
import type { Logger } from '@threadline/runtime';
import {
  type ConfigurationChangeToFanOut,
  fanOutConfigurationChange,
} from '../../application/fan-out-configuration-change.ts';
import type { ConfigurationFanOutStore } from '../../application/ports.ts';

/** The second durable consumer, on the configuration stream, shared by every webhook replica. */
export const webhookConfigurationConsumerName = 'webhook-configuration';

export async function startConfigurationConsumer(deps: {
  bus: Bus;
  subjects: Subjects;
  store: ConfigurationFanOutStore;
  logger: Logger;
  onFannedOut: (enqueued: number) => void;
}): Promise<DurableConsumerLoop> {
  const { bus, subjects, logger } = deps;
  const stream = subjects.configurationStream;
  await ensureDurableConsumer(bus.manager, {
    stream,
    durable: webhookConfigurationConsumerName,
    filterSubject: subjects.allConfigurationChanges,
  });
  return runDurableConsumer(bus.jetstream, {
    stream,
    durable: webhookConfigurationConsumerName,
    handle: async (message) => {
      let input: ConfigurationChangeToFanOut;
      try {
        input = toConfigurationChangeToFanOut(
          ConfigurationChange.decode(message.data),
          `${stream}/${message.info.streamSequence}`,
        );
      } catch (error) {
        // Retrying cannot make it readable; stop it from blocking the consumer.
        logger.error({ err: error, subject: message.subject }, 'unreadable configuration change');
        return { type: 'term', reason: 'unreadable ConfigurationChange' };
      }
      deps.onFannedOut(await fanOutConfigurationChange(deps.store, input));
      return { type: 'ack' };
    },
    onError: (error, message) =>
      logger.error(
        { err: error, subject: message?.subject },
        'fanning out a configuration change failed',
      ),
  });
}

/**
 * Maps the protobuf change to what the application needs; throws when its payload is not a JSON
 * object. `fallbackId` (the stream position) names a change published without a `change_id`.
 */
export function toConfigurationChangeToFanOut(
  change: ConfigurationChange,
  fallbackId: string,
): ConfigurationChangeToFanOut {
  const payload: unknown = JSON.parse(change.payloadJson || '{}');
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new Error('payload is not a JSON object');
  }
  return {
    changeId: change.changeId || fallbackId,
    change: {
      organizationId: change.organizationId,
      action: change.action,
      payload: payload as Record<string, unknown>,
      requester: {
        userId: change.requester?.userId ?? '',
        userType: change.requester?.userType ?? '',
      },
      requesterClientId: change.requesterClientId,
      requesterAccountId: change.requesterAccountId,
    },
  };
}
