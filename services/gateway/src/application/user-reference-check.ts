import { type AccountsDatabase, findAgent, findCustomer } from '@threadline/accounts';
import type { Kysely } from '@threadline/postgres';
import { type MethodName, ProtocolError } from '@threadline/protocol';

interface UserRef {
  id: string;
  type: 'agent' | 'customer';
}

/** The users a request names that the services downstream take as given, with no directory. */
function referencedUsers(method: MethodName, payload: unknown): UserRef[] {
  switch (method) {
    case 'start_chat':
    case 'resume_chat':
      return (payload as { chat?: { users?: UserRef[] } }).chat?.users ?? [];
    case 'set_routing_status': {
      const agentId = (payload as { agent_id?: string }).agent_id;
      return agentId ? [{ id: agentId, type: 'agent' }] : [];
    }
    default:
      return [];
  }
}

/**
 * chat-store takes the users an agent's `start_chat` / `resume_chat` names as given, and the
 * router keeps a status for any `agent_id` (it learns agents from their own requests), so the
 * gateway checks that each is an agent, bot or customer of the requester's organization
 * (`not_found` otherwise). Without it a chat could name another organization's customer, and the
 * router would list another organization's agent id among the requester's own.
 */
export function createUserReferenceCheck(db: Kysely<AccountsDatabase>) {
  return async (method: MethodName, organizationId: string | undefined, payload: unknown) => {
    if (!organizationId) return payload;
    for (const user of referencedUsers(method, payload)) {
      const found =
        user.type === 'customer'
          ? await findCustomer(db, organizationId, user.id)
          : await findAgent(db, organizationId, user.id);
      if (!found) throw new ProtocolError('not_found', `User ${user.id} does not exist`);
    }
    return payload;
  };
}
