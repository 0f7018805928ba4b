import type { Command } from '@threadline/contracts';
import { ProtocolError } from '@threadline/protocol';

/** One webhook method: the request's payload (parsed JSON) and the command that carried it. */
export type Method = (payload: unknown, command: Command) => Promise<unknown>;

/** Every method is scoped to the requester's organization. */
export function organizationOf(command: Command): string {
  const organizationId = command.requester?.organizationId;
  if (!organizationId) throw new ProtocolError('authentication', 'Missing requester organization');
  return organizationId;
}

/**
 * The methods that change what the organization receives: like the rest of its configuration,
 * only an owner, viceowner or administrator may (a normal agent or a bot may read it).
 */
const managerOnly: ReadonlySet<string> = new Set([
  'register_webhook',
  'unregister_webhook',
  'enable_license_webhooks',
  'disable_license_webhooks',
  'redeliver_webhook_delivery',
  'replay_webhooks',
]);

const managerRoles: ReadonlySet<string> = new Set(['owner', 'viceowner', 'administrator']);

/**
 * Refuses a method the requester's role may not call, before it looks anything up. The operator
 * CLI asks as a `system` requester, which has no role and may.
 */
export function requireRoleFor(command: Command): void {
  const requester = command.requester;
  const allowed = requester?.userType === 'system' || managerRoles.has(requester?.role ?? '');
  if (managerOnly.has(command.action) && !allowed) {
    throw new ProtocolError(
      'authorization',
      'Only an owner, viceowner or administrator may change webhooks',
    );
  }
}
