import {
  type AccountsDatabase,
  type Customer,
  countGreetingDisplays,
  findCustomer,
  findOrganization,
  type Identity,
  listGroups,
  updateCustomer,
  verifyCredential,
} from '@threadline/accounts';
import type { Subjects } from '@threadline/bus';
import type { Kysely } from '@threadline/postgres';
import {
  formatTimestamp,
  type MethodPayload,
  ProtocolError,
  parsePayload,
  type RoutingStatus,
  stableVersion,
} from '@threadline/protocol';
import type { Logger } from '@threadline/runtime';
import { agentLoginResponse, customerLoginResponse } from '../domain/login-responses.ts';
import { newCommand, type RequestContext } from './commands.ts';
import { requireActiveAccount } from './configuration-changes.ts';
import { requireNotBanned } from './customer-bans.ts';
import { createExpiringAnswers } from './expiring-answers.ts';
import type { GreetingOffers } from './greeting-offers.ts';
import type { Services } from './ports.ts';

export interface SessionDependencies {
  db: Kysely<AccountsDatabase>;
  services: Services;
  subjects: Subjects;
  logger: Logger;
  greetings: GreetingOffers;
  /** This gateway process, as the router knows its agents' sessions. */
  gatewayId: string;
  /** The router's recent answers on groups' statuses (`createGroupStatuses`). */
  groupStatuses: GroupStatuses;
}

/**
 * How long the router's answer on a group's status serves customer logins. A login storm asks
 * about the same few groups hundreds of times a second; the status is a snapshot anyway (the
 * router pushes no group status to customers), so one a second old is as true as a fresh one
 * by the time the widget shows it.
 */
export const groupStatusTtlMs = 1_000;

/** Group statuses by organization and group, as the router last answered within the TTL. */
export function createGroupStatuses(ttlMs = groupStatusTtlMs) {
  return createExpiringAnswers<string | undefined>({ ttlMs });
}

export type GroupStatuses = ReturnType<typeof createGroupStatuses>;

export interface LoginRequest {
  api: 'agent' | 'customer';
  version: string;
  payload: unknown;
  /** The RTM URL's `?organization_id=`; when given, the token must belong to it. */
  organizationParam: string | undefined;
  context: RequestContext;
}

export interface AuthenticatedLogin {
  identity: Identity;
  login: MethodPayload<'login'>;
  /** Customers: the group of this session (login `group_id`, else the token's). */
  groupId: number | undefined;
}

/**
 * Customers: the customer as the token check read it, for the login response and its greeting
 * check. Not part of the session a connection keeps: an idle connection holds no customer row.
 */
export interface VerifiedLogin extends AuthenticatedLogin {
  customer: Customer | undefined;
}

/** A login's first half: who is this, and may they use this API. Nothing is changed yet. */
export async function authenticateLogin(
  dependencies: SessionDependencies,
  request: LoginRequest,
): Promise<VerifiedLogin> {
  const login = parsePayload('login', request.payload);
  const verified = await verifyCredential(dependencies.db, login.token);
  if (!verified) throw new ProtocolError('authentication', 'Invalid access token');
  const { identity, customer } = verified;
  if (request.api === 'agent' && identity.userType !== 'agent') {
    // LiveChat: bots use the Web API only; customers have their own API.
    throw new ProtocolError('authorization', `A ${identity.userType} cannot use the agent RTM API`);
  }
  // Suspended agents and agents awaiting approval may not log in (LiveChat's RTM login errors).
  requireActiveAccount(identity, 'login');
  if (request.api === 'customer' && identity.userType !== 'customer') {
    throw new ProtocolError('authorization', 'Only customers can use the customer RTM API');
  }
  if (request.organizationParam && request.organizationParam !== identity.organizationId) {
    throw new ProtocolError('authorization', 'The token belongs to another organization');
  }
  if (identity.userType !== 'customer') {
    return { identity, login, groupId: undefined, customer: undefined };
  }
  await requireNotBanned(dependencies.db, identity.organizationId, identity.userId);
  const groupId = login.group_id ?? identity.groupIds[0] ?? 0;
  if (login.group_id !== undefined) await requireGroup(dependencies.db, identity, groupId);
  return { identity, login, groupId, customer };
}

/**
 * The agent login response. A logged-in agent accepts chats unless it asked to start `away`
 * (LiveChat's default login status); `announceStatus` is false for an agent's further
 * connections, which report the status the router already holds.
 */
export async function completeAgentLogin(
  dependencies: SessionDependencies,
  session: AuthenticatedLogin,
  options: { version: string; context: RequestContext; announceStatus: boolean },
): Promise<Record<string, unknown>> {
  const { identity } = session;
  const organization = await findOrganization(dependencies.db, identity.organizationId);
  if (!organization) throw new ProtocolError('license_not_found', 'Organization not found');
  const routingStatus = options.announceStatus
    ? await announceRoutingStatus(dependencies, session, options)
    : await currentRoutingStatus(dependencies, identity, options);
  // The chats an agent is working on: the active ones it can see, newest first.
  const chats = await listChats(dependencies, identity, options, {
    filters: { active: true },
    limit: 100,
  });
  return agentLoginResponse({
    organization,
    agent: { ...identity, id: identity.userId, role: identity.role ?? 'normal' },
    routingStatus,
    chats,
  });
}

/** The customer login response; login `customer` fields update the stored customer first. */
export async function completeCustomerLogin(
  dependencies: SessionDependencies,
  session: AuthenticatedLogin,
  options: { version: string; context: RequestContext; customer: Customer | undefined },
): Promise<Record<string, unknown>> {
  const { identity } = session;
  const groupId = session.groupId ?? 0;
  const context = { ...options.context, customerGroupId: groupId };
  const { customer: fields, customer_page: page } = session.login;
  // The page the customer is on is their last visit, as `update_customer_page` records it.
  const lastPage = page && { ...page, opened_at: formatTimestamp(new Date()) };
  // Unchanged, the customer is the one the token check read a moment ago.
  const customer =
    fields || lastPage
      ? await updateCustomer(dependencies.db, identity.organizationId, identity.userId, {
          ...(fields ? customerChanges(fields) : {}),
          ...(lastPage ? { lastPage } : {}),
        })
      : (options.customer ??
        (await findCustomer(dependencies.db, identity.organizationId, identity.userId)));
  if (!customer) throw new ProtocolError('authentication', 'Customer no longer exists');
  const chats = await listChats(
    dependencies,
    identity,
    { version: options.version, context },
    { limit: 25 },
  );
  const response = customerLoginResponse({
    customer,
    groupId,
    onlineGroupIds: await onlineGroupIds(dependencies, identity, groupId),
    chats,
    greetings: await countGreetingDisplays(
      dependencies.db,
      identity.organizationId,
      identity.userId,
    ),
  });
  // After the statistics: a greeting this login shows is pushed after the response.
  const greeting = await dependencies.greetings.check(identity, {
    groupId,
    hasActiveChat: response.has_active_thread === true,
    customer,
  });
  return greeting ? { ...response, greeting } : response;
}

/**
 * Whether the session's group is online, from the router (`list_group_statuses`, an answer
 * reused for `groupStatusTtlMs` per organization and group): customer SDKs
 * show the widget offline otherwise. If the router does not answer, the group is reported online
 * (a chat started meanwhile waits in the queue) rather than failing the login.
 */
async function onlineGroupIds(
  dependencies: SessionDependencies,
  identity: Identity,
  groupId: number,
): Promise<number[]> {
  const ask = async () => {
    const command = newCommand({
      identity,
      context: {},
      action: 'list_group_statuses',
      payload: { group_ids: [groupId] },
      version: stableVersion,
    });
    const result = (await dependencies.services.call(dependencies.subjects.routerExecute, command, {
      timeoutMs: 2_000,
    })) as { groups_status?: Record<string, string> };
    return result.groups_status?.[String(groupId)];
  };
  try {
    const key = `${identity.organizationId}:${groupId}`;
    const status = await dependencies.groupStatuses.get(key, ask);
    return status === undefined || status !== 'offline' ? [groupId] : [];
  } catch (error) {
    dependencies.logger.warn({ err: error }, 'group status unavailable');
    return [groupId];
  }
}

/** Login `customer` fields in the accounts' terms; fields of the wrong type are a validation error. */
function customerChanges(fields: Record<string, unknown>) {
  const text = (name: string) => {
    const value = fields[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      throw new ProtocolError(
        'validation',
        `Wrong format of request: customer.${name} must be a string`,
      );
    }
    return value;
  };
  const sessionFields = fields.session_fields as Record<string, string>[] | undefined;
  return {
    ...(text('name') !== undefined ? { name: text('name') } : {}),
    ...(text('email') !== undefined ? { email: text('email') } : {}),
    ...(text('avatar') !== undefined ? { avatar: text('avatar') } : {}),
    ...(sessionFields !== undefined ? { sessionFields } : {}),
  };
}

async function announceRoutingStatus(
  dependencies: SessionDependencies,
  session: AuthenticatedLogin,
  options: { version: string; context: RequestContext },
): Promise<RoutingStatus> {
  // An agent starts away when its login says so or its configured `login_status` does.
  const away = session.login.away || session.identity.loginStatus === 'not accepting chats';
  const status: RoutingStatus = away ? 'not_accepting_chats' : 'accepting_chats';
  // The connection, but not the login's request id: the routing_status_set push this causes
  // answers no request of the client's.
  const command = newCommand({
    identity: session.identity,
    context: { connectionId: options.context.connectionId },
    action: 'agent_connected',
    payload: {
      gateway_id: dependencies.gatewayId,
      status,
      reconnect: session.login.reconnect === true,
    },
    version: options.version,
  });
  try {
    const reply = (await dependencies.services.call(dependencies.subjects.routerExecute, command, {
      timeoutMs: 5_000,
    })) as { status?: RoutingStatus };
    return reply.status ?? status;
  } catch (error) {
    // The login still works; the agent can set its status once the router is back.
    dependencies.logger.warn(
      { err: error, agent: session.identity.userId },
      'routing status not set',
    );
    return 'offline';
  }
}

async function currentRoutingStatus(
  dependencies: SessionDependencies,
  identity: Identity,
  options: { version: string; context: RequestContext },
): Promise<RoutingStatus> {
  const statuses = await routingStatuses(dependencies, identity, options.version);
  const mine = statuses?.find((entry) => entry.agent_id === identity.userId);
  return mine?.status ?? 'offline';
}

async function routingStatuses(
  dependencies: SessionDependencies,
  identity: Identity,
  version: string,
): Promise<{ agent_id: string; status: RoutingStatus }[] | undefined> {
  const command = newCommand({
    identity,
    context: {},
    action: 'list_routing_statuses',
    payload: {},
    version,
  });
  try {
    const result = await dependencies.services.call(dependencies.subjects.routerExecute, command, {
      timeoutMs: 5_000,
    });
    return Array.isArray(result) ? result : undefined;
  } catch (error) {
    dependencies.logger.warn({ err: error }, 'routing statuses unavailable');
    return undefined;
  }
}

async function listChats(
  dependencies: SessionDependencies,
  identity: Identity,
  options: { version: string; context: RequestContext },
  payload: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const command = newCommand({
    identity,
    context: options.context,
    action: 'list_chats',
    payload,
    version: options.version,
  });
  const result = await dependencies.services.call(dependencies.subjects.chatStoreQuery, command);
  return typeof result === 'object' && result !== null ? (result as Record<string, unknown>) : {};
}

async function requireGroup(
  db: Kysely<AccountsDatabase>,
  identity: Identity,
  groupId: number,
): Promise<void> {
  const groups = await listGroups(db, identity.organizationId);
  if (!groups.some((group) => group.id === groupId)) {
    throw new ProtocolError('group_not_found', `Group ${groupId} does not exist`);
  }
}
