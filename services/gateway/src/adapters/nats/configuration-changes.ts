import { randomUUID } from 'node:crypto';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import {
  encodePush,
  publishConfigurationChange,
  publishTraced,
  type Subjects,
} from '@threadline/bus';
import { ConfigurationChange, Push } from '@threadline/contracts';
import type { Logger } from '@threadline/runtime';
import { toRequester } from '../../application/commands.ts';
import type { ConfigurationChanges } from '../../application/configuration-changes.ts';

/**
 * Configuration changes over NATS: the push on core NATS (LiveChat does not retry pushes), the
 * change itself on JetStream with its id as `Nats-Msg-Id`. The accounts transaction has committed
 * by then, so a failed publish cannot undo it: it is logged and counted, and the caller's request
 * still succeeds (the change is real; only its webhook would be missing).
 */
export function createConfigurationChanges(
  bus: { connection: NatsConnection; jetstream: JetStreamClient },
  subjects: Subjects,
  logger: Logger,
  onPublishFailure: () => void = () => {},
): ConfigurationChanges {
  return {
    async announce(requester, action, payload, options) {
      const organizationId = requester.organizationId;
      const payloadJson = JSON.stringify(payload);
      if (options?.push !== false) {
        publishTraced(
          bus.connection,
          subjects.organizationPushes(organizationId),
          encodePush(Push.fromPartial({ organizationId, action, payloadJson })),
        );
      }
      const change = ConfigurationChange.fromPartial({
        changeId: randomUUID(),
        organizationId,
        action,
        payloadJson,
        requester: toRequester(requester, {}),
        requesterClientId: requester.clientId ?? '',
        requesterAccountId: requester.accountId ?? '',
        occurredAt: new Date().toISOString(),
        botOwnerClientId: options?.botOwnerClientId ?? '',
      });
      try {
        await publishConfigurationChange(bus.jetstream, subjects, change);
      } catch (error) {
        onPublishFailure();
        logger.error({ err: error, action, organizationId }, 'configuration change not published');
      }
    },
  };
}
