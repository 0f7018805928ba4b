import type { Identity } from '@threadline/accounts';
import { newCommand } from '../../application/commands.ts';
import type { SessionDependencies } from '../../application/sessions.ts';
import type { Presence } from './presence.ts';

/**
 * An agent's connection here closed. When it was their last one here, the router ends their
 * session on this gateway (offline when it was their last anywhere; fire and forget, the
 * heartbeat covers a loss); shutdown waits for the call among `notices`.
 */
export function announceDeparture(
  dependencies: {
    presence: Presence;
    sessions: SessionDependencies;
    notices: Set<Promise<unknown>>;
  },
  identity: Identity,
  connection: { connectionId: string; version: string; loggedOut: boolean },
): void {
  const { organizationId, userId } = identity;
  if (!dependencies.presence.remove(organizationId, userId)) return;
  const { services, subjects, logger, gatewayId } = dependencies.sessions;
  const command = newCommand({
    identity,
    context: { connectionId: connection.connectionId },
    action: 'agent_disconnected',
    payload: {
      gateway_id: gatewayId,
      reason: connection.loggedOut ? 'signed_out' : 'disconnected',
    },
    version: connection.version,
  });
  const notice = services
    .call(subjects.routerExecute, command, { timeoutMs: 2_000 })
    .catch((error: unknown) => {
      logger.warn({ err: error, agent: userId }, 'router not told of agent disconnect');
    })
    .finally(() => dependencies.notices.delete(notice));
  dependencies.notices.add(notice);
}
