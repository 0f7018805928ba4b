import { Counter, type Registry } from 'prom-client';
import type { CommandMetrics } from './application/ports.ts';

/** chat-store's Prometheus metrics, registered on the service's registry. */
export function createChatStoreMetrics(registry: Registry) {
  const commands = new Counter({
    name: 'chat_store_commands_total',
    help: 'Commands handled, by action and outcome (success or the protocol error type)',
    labelNames: ['action', 'outcome'],
    registers: [registry],
  });
  const conflicts = new Counter({
    name: 'chat_store_append_conflicts_total',
    help: 'Appends refused because another writer appended to the chat first (then retried)',
    labelNames: ['action'],
    registers: [registry],
  });
  const queries = new Counter({
    name: 'chat_store_queries_total',
    help: 'Queries answered, by action and outcome',
    labelNames: ['action', 'outcome'],
    registers: [registry],
  });
  const projected = new Counter({
    name: 'chat_store_projector_batches_total',
    help: 'Batches handled by the projector, by outcome (applied, skipped, gap, failed, corrupt)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const commandMetrics: CommandMetrics = {
    commandFinished: (action, outcome) => commands.inc({ action, outcome }),
    appendConflict: (action) => conflicts.inc({ action }),
  };
  return {
    commands: commandMetrics,
    queryFinished: (action: string, outcome: string) => queries.inc({ action, outcome }),
    projectorOutcome: (outcome: string) => projected.inc({ outcome }),
  };
}

export type ChatStoreMetrics = ReturnType<typeof createChatStoreMetrics>;
