import { agentLostBy, type ConfigurationEvent } from '../domain/agent-directory.ts';
import { type AssignmentDeps, serveWaitingChats } from './assignments.ts';
import type { AgentDirectoryPort } from './ports.ts';

/**
 * What to do with the chats of an agent who can no longer carry them (suspended, deleted):
 * reassign, requeue or archive them (spec §7.6). Must be idempotent: a redelivered change asks
 * again.
 */
export type AgentLossHandler = (
  organizationId: string,
  agentId: string,
  reason: 'suspended' | 'deleted',
) => Promise<void>;

export interface ConfigurationDeps extends AssignmentDeps {
  directory: AgentDirectoryPort;
  onAgentLost: AgentLossHandler;
}

export interface ConfigurationChangeToApply {
  organizationId: string;
  /** The change's stream sequence: changes apply in this order, each once. */
  position: number;
  event: ConfigurationEvent;
}

/**
 * Applies one configuration change to the router's view, then acts on it: a lost agent's chats
 * go elsewhere, and since a change may have freed capacity (a raised limit, a new member, manual
 * routing switched off) waiting chats are served; new settings apply to the timers of threads
 * already running.
 */
export async function applyConfigurationChange(
  deps: ConfigurationDeps,
  { organizationId, position, event }: ConfigurationChangeToApply,
): Promise<void> {
  const applied = await deps.directory.apply(organizationId, position, event);
  const lost = agentLostBy(event);
  if (lost) await deps.onAgentLost(organizationId, lost.agentId, lost.reason);
  if (!applied) return;
  // Active threads' timers follow the settings from now on (30 idle minutes become 10 at once).
  if (event.type === 'routing_settings_changed') {
    await deps.activeThreads.refreshTimers(organizationId);
  }
  await serveWaitingChats(deps, organizationId);
}
