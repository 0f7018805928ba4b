import { randomUUID } from 'node:crypto';
import { authenticate, findCustomer, type Identity } from '@threadline/accounts';
import { type MethodPayload, ProtocolError } from '@threadline/protocol';
import { customerView } from '../../domain/customer-views.ts';
import { newCommand } from '../commands.ts';
import type { DispatchRequest } from '../dispatcher.ts';
import type { RtmSession } from '../rtm-sessions.ts';
import type { LocalMethod, LocalMethodDependencies, LocalMethods } from './local-method.ts';
import { agentRequester, callService, connectedAgentIds } from './service-calls.ts';

/**
 * An agent's RTM session (spec §1.4, §2): away per connection, a new token for the same socket,
 * logout, customer subscriptions; and `multicast` to other users' connections.
 */
export function createAgentSessionMethods(dependencies: LocalMethodDependencies): LocalMethods {
  const sessionOf = (request: DispatchRequest): RtmSession => {
    const session = dependencies.sessions.find(request.context.connectionId);
    if (!session?.identity) throw new ProtocolError('authentication', 'Log in first');
    return session;
  };

  /**
   * Away is per connection; the agent stops accepting chats only when every connection it has
   * on this gateway is away, and accepts them again when one comes back.
   */
  const setAwayStatus: LocalMethod = async ({ request, payload }) => {
    const session = sessionOf(request);
    const identity = session.identity!;
    const mine = () => dependencies.sessions.ofUser(identity.organizationId, identity.userId);
    const allAwayBefore = mine().every((each) => each.away);
    session.away = (payload as MethodPayload<'set_away_status'>).away;
    const allAwayNow = mine().every((each) => each.away);
    if (allAwayBefore !== allAwayNow) {
      const command = newCommand({
        identity,
        context: { connectionId: session.id },
        action: 'set_routing_status',
        payload: { status: allAwayNow ? 'not_accepting_chats' : 'accepting_chats' },
        version: request.version,
      });
      await dependencies.services.call(dependencies.subjects.routerExecute, command);
    }
    return {};
  };

  const updateSession: LocalMethod = async ({ request, payload }) => {
    const session = sessionOf(request);
    const { token } = payload as MethodPayload<'update_session'>;
    const identity = await authenticate(dependencies.db, token);
    if (!identity) throw new ProtocolError('authentication', 'Invalid access token');
    if (!sameUser(identity, session.identity!)) {
      throw new ProtocolError('authorization', 'The token belongs to another user');
    }
    session.renew(identity);
    return {};
  };

  const logout: LocalMethod = async ({ request }) => {
    sessionOf(request).endAfterResponse();
    return {};
  };

  /**
   * Customer subscriptions: the answer lists the customers of the active chats the agent may see
   * (in `group_ids` if given), and from then on this connection also gets the pushes about those
   * customers (`customer_updated`, `customer_page_updated`, …), which otherwise reach only the
   * agents in the customer's chats and those following the customer.
   */
  const subscribeCustomers: LocalMethod = async ({ request, payload }) => {
    const session = sessionOf(request);
    const identity = session.identity!;
    const { group_ids: groupIds, limit = 100 } = payload as MethodPayload<'subscribe_customers'>;
    const chats = (await callService(
      dependencies,
      dependencies.subjects.chatStoreQuery,
      'list_chats',
      { filters: { active: true, ...(groupIds ? { group_ids: groupIds } : {}) }, limit: 100 },
      agentRequester(identity),
    )) as { chats_summary?: { users?: { id: string; type: string }[] }[] };
    const customerIds = [
      ...new Set(
        (chats.chats_summary ?? []).flatMap((chat) =>
          (chat.users ?? []).filter((user) => user.type === 'customer').map((user) => user.id),
        ),
      ),
    ].slice(0, limit);
    const customers = await Promise.all(
      customerIds.map((id) => findCustomer(dependencies.db, identity.organizationId, id)),
    );
    const subscriptionId = randomUUID().replaceAll('-', '');
    session.customerSubscriptions.add(subscriptionId, customerIds);
    return {
      subscription_id: subscriptionId,
      customers: customers.flatMap((customer) => (customer ? [customerView(customer)] : [])),
    };
  };

  const unsubscribeCustomers: LocalMethod = async ({ request, payload }) => {
    const session = sessionOf(request);
    const { subscription_id: id } = payload as MethodPayload<'unsubscribe_customers'>;
    if (!session.customerSubscriptions.remove(id)) {
      throw new ProtocolError('not_found', `Subscription ${id} not found`);
    }
    return {};
  };

  /** `incoming_multicast` to the organization's connected agents (all, by id, by group) and customers. */
  const multicast: LocalMethod = async ({ identity, payload }) => {
    const caller = identity!;
    const { recipients, content, type } = payload as MethodPayload<'multicast'>;
    const requester = agentRequester(caller);
    const agentIds = new Set<string>(recipients.agents?.ids ?? []);
    if (recipients.agents?.all) {
      for (const id of await connectedAgentIds(dependencies, requester)) agentIds.add(id);
    } else if (recipients.agents?.groups?.length) {
      const inGroups = await connectedAgentIds(dependencies, requester, recipients.agents.groups);
      for (const id of inGroups) agentIds.add(id);
    }
    const push = { author_id: caller.userId, content, ...(type ? { type } : {}) };
    const customerPush = { author_id: caller.userId, content };
    dependencies.pushes.toUsers(caller.organizationId, agentIds, 'incoming_multicast', push);
    dependencies.pushes.toUsers(
      caller.organizationId,
      recipients.customers?.ids ?? [],
      'incoming_multicast',
      customerPush,
    );
    return {};
  };

  return {
    set_away_status: setAwayStatus,
    update_session: updateSession,
    logout,
    subscribe_customers: subscribeCustomers,
    unsubscribe_customers: unsubscribeCustomers,
    multicast,
  };
}

function sameUser(a: Identity, b: Identity): boolean {
  return (
    a.organizationId === b.organizationId && a.userId === b.userId && a.userType === b.userType
  );
}
