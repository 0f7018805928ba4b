import type { Identity } from '@threadline/accounts';
import { type MethodName, type MethodPayload, ProtocolError } from '@threadline/protocol';
import { isManager, type Role } from '../../domain/configuration-roles.ts';
import { newCommand } from '../commands.ts';
import type { DispatchRequest } from '../dispatcher.ts';
import type { LocalMethod, LocalMethodDependencies } from './local-method.ts';

/** A Configuration API handler: the validated payload, the verified caller, the request. */
export type ConfigurationHandler<M extends MethodName> = (
  payload: MethodPayload<M>,
  caller: Identity,
  request: DispatchRequest,
) => Promise<unknown>;

/** Adapts a typed handler to a local method (the dispatcher has validated the payload). */
export function handle<M extends MethodName>(handler: ConfigurationHandler<M>): LocalMethod {
  return async ({ payload, identity, request }) => {
    if (!identity) throw new ProtocolError('authentication', 'Missing or invalid access token');
    return handler(payload as MethodPayload<M>, identity, request);
  };
}

/** Changing configuration is for owners, viceowners and administrators (`authorization`). */
export function requireManager(caller: Identity): void {
  if (!isManager(caller.role as Role | undefined)) {
    throw new ProtocolError(
      'authorization',
      'Only an owner, viceowner or administrator may change the configuration',
    );
  }
}

/** The request's fields that were given, other than the ones naming the target. */
export function givenFields(payload: object, except: readonly string[] = ['id']): string[] {
  return Object.entries(payload)
    .filter(([key, value]) => value !== undefined && !except.includes(key))
    .map(([key]) => key);
}

/** `[{agent_id, status}]` of the organization's agents, as the router holds them. */
export async function routingStatuses(
  dependencies: Pick<LocalMethodDependencies, 'services' | 'subjects'>,
  caller: Identity,
  request: DispatchRequest,
): Promise<Map<string, string>> {
  const command = newCommand({
    identity: caller,
    context: {},
    action: 'list_routing_statuses',
    payload: {},
    version: request.version,
  });
  const statuses = (await dependencies.services.call(
    dependencies.subjects.routerExecute,
    command,
  )) as { agent_id: string; status: string }[];
  return new Map(statuses.map((entry) => [entry.agent_id, entry.status]));
}
