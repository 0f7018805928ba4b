import type { NatsConnection } from '@nats-io/nats-core';
import type { Subjects } from '@threadline/bus';
import type { Logger } from '@threadline/runtime';
import { z } from 'zod';
import type { AgentSessionsPort, Clock, PushPort } from '../../application/ports.ts';

/**
 * A gateway's heartbeat (docs/internal-contracts.md, "Agent sessions"): the agents logged in over
 * RTM on it now. One router replica takes each (queue group); it renews those sessions, and a
 * session no heartbeat renews ends when the router's housekeeping expires it.
 */
const heartbeat = z.object({
  gateway_id: z.string().min(1).max(200),
  sessions: z
    .array(z.object({ organization_id: z.string().min(1), agent_id: z.string().min(1) }))
    .max(10_000),
});

export function startPresenceListener(options: {
  connection: NatsConnection;
  subjects: Subjects;
  sessions: AgentSessionsPort;
  pushes: PushPort;
  clock: Clock;
  logger: Logger;
}) {
  const { connection, subjects, sessions, pushes, clock, logger } = options;
  return connection.subscribe(subjects.agentPresence, {
    queue: 'router',
    callback: (error, message) => {
      if (error) return;
      const parsed = heartbeat.safeParse(parseJson(message.string()));
      if (!parsed.success) {
        logger.warn({ subject: message.subject }, 'unreadable presence heartbeat');
        return;
      }
      const { gateway_id: gatewayId, sessions: live } = parsed.data;
      const renewed = live.map((session) => ({
        organizationId: session.organization_id,
        agentId: session.agent_id,
      }));
      sessions
        .refresh(gatewayId, renewed, clock.now())
        .then((revived) =>
          Promise.all(
            revived.map((agent) =>
              pushes.routingStatusSet(agent.organizationId, agent.agentId, agent.status, {}),
            ),
          ),
        )
        .catch((refreshError: unknown) => {
          logger.warn({ err: refreshError, gatewayId }, 'presence heartbeat not recorded');
        });
    },
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
