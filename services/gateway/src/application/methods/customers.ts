import {
  type AccountsDatabase,
  banCustomer,
  type Customer,
  type CustomerBan,
  type CustomerChanges,
  countGreetingDisplays,
  findActiveBan,
  findCustomer,
  type Identity,
  listCustomerFollowers,
  updateCustomer,
} from '@threadline/accounts';
import { Requester } from '@threadline/contracts';
import type { Kysely } from '@threadline/postgres';
import { formatTimestamp, type MethodPayload, ProtocolError } from '@threadline/protocol';
import { withCustomerProfile } from '../../domain/customer-profile.ts';
import type { CustomerPushAudience } from '../../domain/customer-subscriptions.ts';
import {
  agentCustomerView,
  customerChangesPayload,
  ownCustomerView,
} from '../../domain/customer-views.ts';
import { recordSessionFieldsUpdated } from '../customer-session-fields.ts';
import type { DispatchRequest } from '../dispatcher.ts';
import type { LocalMethod, LocalMethodDependencies, LocalMethods } from './local-method.ts';
import {
  agentRequester,
  type CustomerChats,
  callService,
  connectedAgentIds,
  customerChats,
} from './service-calls.ts';

/**
 * Customers (spec §2 "Customers", §3): reading and updating them, their session fields and page,
 * and bans. Agents name the customer (`id`); a customer always means itself.
 */
export function createCustomerMethods(dependencies: LocalMethodDependencies): LocalMethods {
  const { db } = dependencies;

  const getCustomer: LocalMethod = async ({ request, identity, payload }) => {
    const caller = identity!;
    const customer = await requireCustomer(db, caller, targetId(request, caller, payload));
    const [chats, greetings] = await Promise.all([
      customerChats(dependencies, customer.organizationId, customer.id, { countThreads: true }),
      countGreetingDisplays(db, customer.organizationId, customer.id),
    ]);
    const statistics = { ...chats, greetings };
    if (caller.userType === 'customer') return ownCustomerView(customer, statistics);
    const [ban, followed] = await Promise.all([
      findActiveBan(db, customer.organizationId, customer.id),
      followsCustomer(dependencies, request, caller, customer.id, chats.chatIds),
    ]);
    return { ...agentCustomerView(customer, statistics, ban !== undefined), followed };
  };

  const updateCustomerMethod: LocalMethod = async ({ request, identity, payload }) => {
    const caller = identity!;
    const body = payload as MethodPayload<'update_customer'>;
    const { id: _id, name_is_default: _default, ...changes } = body;
    if (Object.values(changes).every((value) => value === undefined)) {
      throw new ProtocolError('validation', 'Wrong format of request: nothing to update');
    }
    const customer = await requireCustomer(db, caller, targetId(request, caller, body));
    await applyChanges(dependencies, request, customer, changes, {
      name: changes.name,
      email: changes.email,
      avatar: changes.avatar,
      sessionFields: changes.session_fields,
      phoneNumber: changes.phone_number,
      address: changes.address as Record<string, string> | undefined,
      omnichannel: changes.omnichannel,
    });
    if (customer.id === caller.userId) renewProfile(dependencies, caller, changes);
    return {};
  };

  const setSessionFields: LocalMethod = async ({ request, identity, payload }) => {
    const caller = identity!;
    const { session_fields } = payload as MethodPayload<'set_customer_session_fields'>;
    const customer = await requireCustomer(db, caller, caller.userId);
    await applyChanges(
      dependencies,
      request,
      customer,
      { session_fields },
      { sessionFields: session_fields },
    );
    return {};
  };

  const updateCustomerPage: LocalMethod = async ({ request, identity, payload }) => {
    const caller = identity!;
    const page = payload as MethodPayload<'update_customer_page'>;
    const openedAt = formatTimestamp(new Date());
    await updateCustomer(db, caller.organizationId, caller.userId, {
      lastPage: {
        url: page.url,
        ...(page.title ? { title: page.title } : {}),
        opened_at: openedAt,
      },
    });
    const audience = await customerAudience(dependencies, caller.organizationId, caller.userId);
    dependencies.pushes.aboutCustomer(caller.organizationId, audience, 'customer_page_updated', {
      customer_id: caller.userId,
      visit_id: 1,
      opened_at: openedAt,
      url: page.url,
      title: page.title ?? '',
    });
    // The group a customer is in does not follow pages in Threadline, so it never changes here.
    await dependencies.greetings.check(caller, {
      groupId: request.context.customerGroupId ?? caller.groupIds[0] ?? 0,
      hasActiveChat: audience.chats.activeChatIds.length > 0,
    });
    return {};
  };

  const banCustomerMethod: LocalMethod = async ({ identity, payload }) => {
    const caller = identity!;
    const { id, ban } = payload as MethodPayload<'ban_customer'>;
    const customer = await requireCustomer(db, caller, id);
    const stored = await banCustomer(db, {
      organizationId: caller.organizationId,
      customerId: customer.id,
      days: ban.days,
      bannedBy: caller.userId,
    });
    await closeActiveChats(dependencies, stored, caller);
    const { pushes } = dependencies;
    pushes.toUsers(caller.organizationId, [customer.id], 'customer_disconnected', {
      reason: 'customer_banned',
    });
    const agentIds = await connectedAgentIds(dependencies, agentRequester(caller));
    pushes.toUsers(caller.organizationId, agentIds, 'customer_banned', {
      customer_id: customer.id,
      ban: { days: ban.days },
    });
    return {};
  };

  return {
    get_customer: getCustomer,
    update_customer: updateCustomerMethod,
    set_customer_session_fields: setSessionFields,
    update_customer_page: updateCustomerPage,
    ban_customer: banCustomerMethod,
  };
}

/**
 * A ban closes the customer's active chats (spec §7.12): chat-store's internal
 * `close_thread_for_ban` per active thread, asked as the gateway (a system requester). Its command
 * id names the ban and the thread, so a repeat of this ban closes nothing twice; a thread that
 * closed meanwhile (`chat_inactive`) needs nothing more. Other failures fail the method: the ban is
 * stored, and banning again closes what is still open.
 */
async function closeActiveChats(
  dependencies: LocalMethodDependencies,
  ban: CustomerBan,
  agent: Identity,
): Promise<void> {
  const { activeChats } = await customerChats(dependencies, ban.organizationId, ban.customerId);
  const requester = Requester.fromPartial({
    organizationId: ban.organizationId,
    userId: 'gateway',
    userType: 'system',
  });
  for (const { chatId, threadId } of activeChats) {
    const payload = {
      chat_id: chatId,
      thread_id: threadId,
      customer_id: ban.customerId,
      banned_by: { id: agent.userId, name: agent.name ?? '' },
      days: ban.days,
    };
    const commandId = `ban:${ban.customerId}:${ban.createdAt.getTime()}:${chatId}:${threadId}`;
    try {
      await callService(
        dependencies,
        dependencies.subjects.chatStoreExecute,
        'close_thread_for_ban',
        payload,
        requester,
        { commandId, now: ban.createdAt },
      );
    } catch (error) {
      if (!(error instanceof ProtocolError && error.type === 'chat_inactive')) throw error;
    }
  }
}

/** The caller's own sessions here take the new profile at once (other gateways: by the push). */
function renewProfile(
  dependencies: LocalMethodDependencies,
  caller: Identity,
  changes: Record<string, unknown>,
): void {
  for (const session of dependencies.sessions.ofUser(caller.organizationId, caller.userId)) {
    const renewed =
      session.identity && withCustomerProfile(session.identity, { ...changes, id: caller.userId });
    if (renewed) session.renew(renewed);
  }
}

/**
 * Who hears about a customer regardless of subscriptions: the agents in the customer's active
 * chats and the agents following the customer (3.4/3.5 `follow_customer`).
 */
async function customerAudience(
  dependencies: LocalMethodDependencies,
  organizationId: string,
  customerId: string,
): Promise<CustomerPushAudience & { chats: CustomerChats }> {
  const [chats, followers] = await Promise.all([
    customerChats(dependencies, organizationId, customerId),
    listCustomerFollowers(dependencies.db, organizationId, customerId),
  ]);
  return { customerId, audienceUserIds: [...chats.agentIds, ...followers], chats };
}

/**
 * `followed` in the agent's view of a customer (spec §5.4): the agent gets the customer's pushes
 * without being in one of their chats, because it follows the customer (3.4/3.5
 * `follow_customer`) or one of the customer's chats (`follow_chat`), or the connection asking
 * holds a `subscribe_customers` subscription covering the customer.
 */
async function followsCustomer(
  dependencies: LocalMethodDependencies,
  request: DispatchRequest,
  caller: Identity,
  customerId: string,
  chatIds: readonly string[],
): Promise<boolean> {
  const session = dependencies.sessions.find(request.context.connectionId);
  if (session?.customerSubscriptions.covers(customerId)) return true;
  const followers = await listCustomerFollowers(dependencies.db, caller.organizationId, customerId);
  if (followers.includes(caller.userId)) return true;
  const chats = await Promise.all(
    chatIds.map((chatId) =>
      callService(
        dependencies,
        dependencies.subjects.chatStoreQuery,
        'get_chat',
        { chat_id: chatId },
        agentRequester(caller),
      ).catch(() => undefined),
    ),
  );
  return chats.some((chat) => (chat as { is_followed?: boolean } | undefined)?.is_followed);
}

/**
 * Stores the changes and tells the customer, and the customer's audience and subscribers
 * (`customerAudience`), with `customer_updated`.
 */
async function applyChanges(
  dependencies: LocalMethodDependencies,
  request: DispatchRequest,
  customer: Customer,
  protocolChanges: Record<string, unknown>,
  changes: CustomerChanges,
): Promise<void> {
  await updateCustomer(dependencies.db, customer.organizationId, customer.id, changes);
  const { chats, ...audience } = await customerAudience(
    dependencies,
    customer.organizationId,
    customer.id,
  );
  const payload = customerChangesPayload(customer.id, protocolChanges);
  const origin = {
    connectionId: request.context.connectionId,
    requestId: request.context.requestId,
  };
  const { pushes } = dependencies;
  pushes.toUsers(customer.organizationId, [customer.id], 'customer_updated', payload, origin);
  pushes.aboutCustomer(customer.organizationId, audience, 'customer_updated', payload, origin);
  if (changes.sessionFields !== undefined && request.identity) {
    await recordSessionFieldsUpdated(
      dependencies.configurationChanges,
      request.identity,
      customer.id,
      changes.sessionFields,
      chats.activeChats,
    );
  }
}

function targetId(request: DispatchRequest, caller: Identity, payload: unknown): string {
  if (caller.userType === 'customer') return caller.userId;
  const id = (payload as { id?: string }).id;
  if (!id) {
    throw new ProtocolError(
      'validation',
      `Wrong format of request: id is required (${request.action})`,
    );
  }
  return id;
}

async function requireCustomer(
  db: Kysely<AccountsDatabase>,
  caller: Identity,
  customerId: string,
): Promise<Customer> {
  const customer = await findCustomer(db, caller.organizationId, customerId);
  if (!customer) throw new ProtocolError('not_found', `Customer ${customerId} not found`);
  return customer;
}
