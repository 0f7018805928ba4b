import type { JetStreamClient } from '@nats-io/jetstream';
import type { Subjects } from '@threadline/bus';
import { ConfigurationChange } from '@threadline/contracts';

/**
 * Appends a Configuration API change to the configuration stream as the gateway announces it
 * (docs/internal-contracts.md); returns its stream position.
 */
export async function publishConfigurationChange(
  jetstream: JetStreamClient,
  subjects: Subjects,
  change: { organizationId: string; action: string; payload: unknown },
): Promise<number> {
  const changeId = crypto.randomUUID();
  const ack = await jetstream.publish(
    subjects.configurationChanges(change.organizationId),
    ConfigurationChange.encode(
      ConfigurationChange.fromPartial({
        changeId,
        organizationId: change.organizationId,
        action: change.action,
        payloadJson: JSON.stringify(change.payload),
        occurredAt: new Date().toISOString(),
      }),
    ).finish(),
    { msgID: changeId },
  );
  return ack.seq;
}
