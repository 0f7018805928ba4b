import type { NatsConnection } from '@nats-io/nats-core';
import type { Subjects } from '@threadline/bus';
import type { Logger } from '@threadline/runtime';
import type { Presence } from '../ws/presence.ts';

/** Sessions per heartbeat message, well below NATS's default 1 MB payload limit. */
const sessionsPerMessage = 1000;

/**
 * Tells the router, every `intervalMs`, which agents are logged in over RTM on this gateway
 * (docs/internal-contracts.md, "Agent sessions"). The router ends the sessions of a gateway that
 * stops telling (it crashed), so their agents go offline and their chats are handed on.
 */
export function startPresenceHeartbeat(options: {
  connection: NatsConnection;
  subjects: Subjects;
  gatewayId: string;
  presence: Presence;
  intervalMs: number;
  logger: Logger;
}): { stop(): void } {
  const { connection, subjects, gatewayId, presence, logger } = options;
  const beat = () => {
    const agents = presence.agents();
    for (let start = 0; start < agents.length; start += sessionsPerMessage) {
      const sessions = agents
        .slice(start, start + sessionsPerMessage)
        .map((agent) => ({ organization_id: agent.organizationId, agent_id: agent.agentId }));
      try {
        connection.publish(
          subjects.agentPresence,
          JSON.stringify({ gateway_id: gatewayId, sessions }),
        );
      } catch (error) {
        logger.warn({ err: error }, 'presence heartbeat not sent');
      }
    }
  };
  const timer = setInterval(beat, options.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
