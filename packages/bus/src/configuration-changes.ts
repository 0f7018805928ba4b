import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { ConfigurationChange } from '@threadline/contracts';
import type { Subjects } from './subjects.ts';
import { publishToStream } from './trace-headers.ts';

/**
 * Appends a configuration change to its organization's subject of the configuration stream, its
 * id as `Nats-Msg-Id` (a repeat within the duplicate window is absorbed), in the trace of the
 * request that made it.
 */
export function publishConfigurationChange(
  jetstream: JetStreamClient,
  subjects: Subjects,
  change: ConfigurationChange,
): Promise<PubAck> {
  return publishToStream(
    jetstream,
    subjects.configurationChanges(change.organizationId),
    ConfigurationChange.encode(change).finish(),
    { msgID: change.changeId, operation: change.action },
  );
}
