import { type AccountsDatabase, findTag } from '@threadline/accounts';
import type { Kysely } from '@threadline/postgres';
import { type MethodName, ProtocolError } from '@threadline/protocol';

/**
 * `tag_thread` names a tag of the organization's configuration ("case-sensitive, must exist"),
 * which chat-store does not hold: the gateway checks it before forwarding (`not_found`).
 * `untag_thread` is not checked: a tag deleted from the configuration must still come off the
 * threads that carry it, and chat-store refuses a tag the thread does not have.
 */
export function createTagCheck(db: Kysely<AccountsDatabase>) {
  return async (method: MethodName, organizationId: string | undefined, payload: unknown) => {
    if (method !== 'tag_thread' || !organizationId) return payload;
    const { tag } = payload as { tag: string };
    if (!(await findTag(db, organizationId, tag))) {
      throw new ProtocolError('not_found', `Tag ${tag} does not exist`);
    }
    return payload;
  };
}
