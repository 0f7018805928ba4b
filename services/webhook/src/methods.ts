import { randomBytes } from 'node:crypto';
import { type Bus, type CommandHandler, type Subjects, serveCommands } from '@threadline/bus';
import { WebhooksService } from '@threadline/contracts';
import { startGrpcServer } from '@threadline/grpc';
import type { Kysely } from '@threadline/postgres';
import { ProtocolError } from '@threadline/protocol';
import type { Logger } from '@threadline/runtime';
import { createAddressGuard, createWebhookUrlCheck } from './adapters/dns/address-guard.ts';
import type { WebhookDatabase } from './adapters/postgres/database.ts';
import { createDeliveryLog } from './adapters/postgres/delivery-log.ts';
import { createRegistrationStore } from './adapters/postgres/registrations.ts';
import { createCommandHandler } from './application/commands.ts';
import type { Network } from './domain/address-policy.ts';
import type { WebhookMetrics } from './metrics.ts';

/** Serves the webhook methods on NATS (queue `webhook`) and gRPC with one handler. */
export async function serveMethods(deps: {
  bus: Bus;
  subjects: Subjects;
  grpcPort: number;
  db: Kysely<WebhookDatabase>;
  /** Networks a webhook URL may resolve into although they are not public. */
  allowedNetworks: readonly Network[];
  metrics: WebhookMetrics;
  logger: Logger;
  /** The service's readiness (its /readyz), reported by gRPC health. */
  isReady: () => Promise<boolean>;
}) {
  const onUnexpected = (error: unknown) => deps.logger.error({ err: error }, 'command failed');
  const handler = instrument(
    createCommandHandler({
      store: createRegistrationStore(deps.db),
      deliveryLog: createDeliveryLog(deps.db),
      newId: () => randomBytes(16).toString('hex'),
      checkUrl: createWebhookUrlCheck(createAddressGuard(deps.allowedNetworks)),
    }),
    deps.metrics,
  );
  const subscription = serveCommands(
    deps.bus.connection,
    deps.subjects.webhookExecute,
    'webhook',
    handler,
    onUnexpected,
  );
  const grpc = await startGrpcServer({
    port: deps.grpcPort,
    services: [{ definition: WebhooksService, handlers: { execute: handler } }],
    isReady: deps.isReady,
    onUnexpected,
  });
  return {
    grpcPort: grpc.port,
    async stop() {
      await Promise.all([grpc.stop(), subscription.drain()]);
    },
  };
}

/** Counts every method call by action and outcome (`ok` or the protocol error type). */
function instrument(handler: CommandHandler, metrics: WebhookMetrics): CommandHandler {
  return async (command) => {
    try {
      const result = await handler(command);
      metrics.commands.inc({ action: command.action, outcome: 'ok' });
      return result;
    } catch (error) {
      const outcome = error instanceof ProtocolError ? error.type : 'internal';
      metrics.commands.inc({ action: command.action, outcome });
      throw error;
    }
  };
}
