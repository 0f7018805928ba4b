import {
  type Bus,
  type DurableConsumerLoop,
  ensureConfigurationStream,
  ensureDurableConsumer,
  runDurableConsumer,
  type Subjects,
} from '@threadline/bus';
import { ConfigurationChange } from '@threadline/contracts';
import type { Logger } from '@threadline/runtime';
import type { ConfigurationChangeToApply } from '../../application/configuration-changes.ts';
import { readConfigurationEvent } from './configuration.mapping.ts';

/** Shared by every router replica: each change is applied by one of them. */
export const routerConfigurationDurable = 'router-configuration';

/**
 * Consumes the Configuration API's changes. One change in flight across all replicas
 * (`maxAckPending: 1`): an organization's changes must apply in order (a group update after the
 * agent update it follows), and there are few of them. A change is acknowledged after it was
 * applied; a failure redelivers it; a change that cannot be read is dropped with a log line.
 */
export async function startConfigurationConsumer(options: {
  bus: Bus;
  subjects: Subjects;
  streamReplicas: number;
  apply: (change: ConfigurationChangeToApply) => Promise<void>;
  logger: Logger;
}): Promise<DurableConsumerLoop> {
  const { bus, subjects, logger } = options;
  const stream = subjects.configurationStream;
  // The gateway declares it too; whoever starts first creates it.
  await ensureConfigurationStream(bus.manager, subjects, { replicas: options.streamReplicas });
  await ensureDurableConsumer(bus.manager, {
    stream,
    durable: routerConfigurationDurable,
    filterSubject: subjects.allConfigurationChanges,
    maxAckPending: 1,
  });
  return runDurableConsumer(bus.jetstream, {
    stream,
    durable: routerConfigurationDurable,
    handle: async (message) => {
      let change: ConfigurationChangeToApply | undefined;
      try {
        const decoded = ConfigurationChange.decode(message.data);
        const event = readConfigurationEvent(decoded);
        change = event && {
          organizationId: decoded.organizationId,
          position: message.info.streamSequence,
          event,
        };
      } catch (error) {
        logger.error(
          { err: error, subject: message.subject, seq: message.seq },
          'unreadable configuration change',
        );
        return { type: 'term', reason: 'unreadable configuration change' };
      }
      if (change) await options.apply(change);
      return { type: 'ack' };
    },
    onError: (error, message) =>
      logger.error(
        { err: error, subject: message?.subject },
        'applying a configuration change failed; redelivering later',
      ),
  });
}
