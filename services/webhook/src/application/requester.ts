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
