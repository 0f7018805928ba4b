import { Counter, Gauge, type Registry } from 'prom-client';
import type { RoutingMetrics } from './application/ports.ts';

/** The router's own metrics, next to Node's defaults in the service registry. */
export function createRouterMetrics(registry: Registry, countWaitingChats: () => Promise<number>) {
  const assignments = new Counter({
    name: 'router_assignments_total',
    help: 'Routing outcomes: assigned (chat-store added the agent), queued, dropped (thread closed or refused), retry',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const batches = new Counter({
    name: 'router_chat_batches_total',
    help: 'Chat event batches with routing work, by how they were settled (ack, nak, term)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const commands = new Counter({
    name: 'router_commands_total',
    help: 'Router commands by action and outcome (ok or the protocol error type)',
    labelNames: ['action', 'outcome'],
    registers: [registry],
  });
  new Gauge({
    name: 'router_waiting_chats',
    help: 'Active threads waiting for an agent, all organizations (the same on every replica)',
    registers: [registry],
    async collect() {
      // A scrape while Postgres is away keeps the last value rather than failing /metrics.
      const count = await countWaitingChats().catch(() => undefined);
      if (count !== undefined) this.set(count);
    },
  });
  const systemCommands = new Counter({
    name: 'router_system_commands_total',
    help: 'Commands the router sent chat-store as the system (timers, hand-overs), by action and outcome (done, thread_inactive, refused, unavailable)',
    labelNames: ['action', 'outcome'],
    registers: [registry],
  });
  const routing: RoutingMetrics = {
    assignment: (outcome) => assignments.inc({ outcome }),
    systemCommand: (action, outcome) => systemCommands.inc({ action, outcome }),
  };
  return {
    routing,
    batchSettled: (outcome: 'ack' | 'nak' | 'term') => batches.inc({ outcome }),
    command: (action: string, outcome: string) => commands.inc({ action, outcome }),
  };
}
