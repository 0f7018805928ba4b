import {
  type AccountsDatabase,
  type Identity,
  loadPropertyConfigs,
  propertyWriteProblem,
} from '@threadline/accounts';
import type { Kysely } from '@threadline/postgres';
import { type MethodName, ProtocolError } from '@threadline/protocol';
import { propertyWritesOf } from '../domain/property-writes.ts';

/**
 * Chat, thread and event property values are kept by chat-store, but what may be written is
 * configuration (property configurations of the organization's clients, and LiveChat's built-in
 * ones), so the gateway checks every change before forwarding it, as it checks tags: `validation`
 * for an unknown property or a value that does not fit, `authorization` for a requester without
 * write access. Configurations are read per request that names properties (no cache: one indexed
 * query, and a registration or publication applies at once).
 */
export function createPropertyCheck(db: Kysely<AccountsDatabase>) {
  return async (method: MethodName, identity: Identity | undefined, payload: unknown) => {
    const writes = propertyWritesOf(method, payload);
    if (!identity || writes.length === 0) return payload;
    const configs = await loadPropertyConfigs(db, identity.organizationId);
    const writer = {
      kind: identity.userType === 'customer' ? ('customer' as const) : ('agent' as const),
      clientId: identity.clientId,
    };
    for (const write of writes) {
      const problem = propertyWriteProblem(configs, writer, write);
      if (problem) throw new ProtocolError(problem.type, problem.message);
    }
    return payload;
  };
}
