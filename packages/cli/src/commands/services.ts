import { randomUUID } from 'node:crypto';
import { type Bus, callService, connectBus, createSubjects } from '@threadline/bus';
import { Command as ServiceCommand } from '@threadline/contracts';

/** The platform's services as an operator reaches them: over NATS, as the gateway does. */
export interface Services {
  /** Runs a webhook service method for an organization, as its operator (any owner). */
  webhooks(organizationId: string, action: string, payload: object): Promise<unknown>;
  close(): Promise<void>;
}

export const defaultNatsUrl = 'nats://127.0.0.1:4222';

/**
 * Connects on first use (most admin commands only need the accounts database), to NATS_URL with
 * THREADLINE_NAMESPACE's subjects. The requester is `system`: the operator is not an OAuth client,
 * so the webhook service lets it act on every webhook of the organization.
 */
export function createServices(env: Record<string, string | undefined>): Services {
  let bus: Promise<Bus> | undefined;
  const subjects = createSubjects(env.THREADLINE_NAMESPACE || 'tl');
  return {
    async webhooks(organizationId, action, payload) {
      bus ??= connectBus({ url: env.NATS_URL || defaultNatsUrl, name: 'threadline-cli' });
      const command = ServiceCommand.fromPartial({
        commandId: randomUUID(),
        requester: { organizationId, userId: 'threadline-cli', userType: 'system' },
        action,
        payloadJson: JSON.stringify(payload),
        issuedAt: new Date().toISOString(),
      });
      return callService((await bus).connection, subjects.webhookExecute, command);
    },
    async close() {
      const connected = await bus?.catch(() => undefined);
      await connected?.connection.drain();
    },
  };
}
