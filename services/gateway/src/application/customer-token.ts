import {
  type AccountsDatabase,
  authenticate,
  type CookieIdentity,
  createCustomer,
  customerIdentity,
  findClient,
  findCustomer,
  issueCustomerToken,
  listGroups,
  resolveCookieCustomer,
} from '@threadline/accounts';
import type { Kysely } from '@threadline/postgres';
import type { ConfigurationChanges } from './configuration-changes.ts';
import { requireNotBanned } from './customer-bans.ts';
import { identityTokenGrant } from './identity-transfer.ts';
import { recordIncomingCustomer } from './incoming-customer.ts';
import { TokenGrantError } from './token-grant-error.ts';

export { TokenGrantError };

export interface CustomerTokenRequest {
  /** Body fields (JSON, text/plain JSON or form). */
  params: Record<string, unknown>;
  /** From `/v2/customer/<organization_id>/<group_id>/token`. */
  path: { organizationId: string | undefined; groupId: number | undefined };
  authorization: string | undefined;
  cookie: CookieIdentity | undefined;
}

export interface CustomerTokenResult {
  body: Record<string, unknown>;
  /** Set for the cookie grant: the identity cookies to (re)issue. */
  cookie?: CookieIdentity;
}

/** `POST /v2/customer/token`: the `cookie` (browser) and `agent_token` (back end) grants. */
export async function grantCustomerToken(
  dependencies: { db: Kysely<AccountsDatabase>; configurationChanges: ConfigurationChanges },
  request: CustomerTokenRequest,
): Promise<CustomerTokenResult> {
  const { db } = dependencies;
  const grantType = stringParam(request.params, 'grant_type');
  const responseType = stringParam(request.params, 'response_type');
  if (responseType !== undefined && responseType !== 'token') {
    throw invalidRequest('unsupported_response_type', 'response_type must be "token"');
  }
  if (grantType === 'cookie') return cookieGrant(dependencies, request);
  if (grantType === 'agent_token') return agentTokenGrant(dependencies, request);
  if (grantType === 'identity_token') return { body: await identityTokenGrant(db, request.params) };
  throw invalidRequest(
    'unsupported_grant_type',
    `Unsupported grant_type "${grantType ?? ''}" (use "cookie", "agent_token" or "identity_token")`,
  );
}

type GrantDependencies = Parameters<typeof grantCustomerToken>[0];

async function cookieGrant(
  { db, configurationChanges }: GrantDependencies,
  request: CustomerTokenRequest,
): Promise<CustomerTokenResult> {
  const organizationId = organizationOf(request);
  if (!organizationId) throw invalidRequest('invalid_request', 'organization_id is required');
  const client = await requireClient(db, request.params, organizationId);
  if (client.kind !== 'customer_widget') {
    throw new TokenGrantError(
      'authorization',
      'unauthorized_client',
      'This client may not use the cookie grant',
    );
  }
  await requireGroup(db, organizationId, request.path.groupId);
  const { customer, secret, created } = await resolveCookieCustomer(
    db,
    organizationId,
    request.cookie,
  );
  if (created) {
    const requester = customerIdentity(customer, { clientId: client.id, expiresAt: undefined });
    await recordIncomingCustomer(configurationChanges, requester, customer);
  }
  await requireNotBanned(db, organizationId, customer.id);
  const token = await issueCustomerToken(db, {
    organizationId,
    customerId: customer.id,
    clientId: client.id,
    ...(request.path.groupId === undefined ? {} : { groupId: request.path.groupId }),
  });
  return {
    body: tokenBody(token, customer.id, organizationId),
    cookie: { customerId: customer.id, secret },
  };
}

async function agentTokenGrant(
  { db, configurationChanges }: GrantDependencies,
  request: CustomerTokenRequest,
): Promise<CustomerTokenResult> {
  const agent = await authenticate(db, request.authorization);
  if (!agent || agent.userType === 'customer') {
    throw new TokenGrantError('authentication', 'access_denied', 'Invalid agent credentials');
  }
  const organizationId = organizationOf(request) ?? agent.organizationId;
  if (organizationId !== agent.organizationId) {
    throw new TokenGrantError('authorization', 'access_denied', 'Wrong organization_id');
  }
  const client = await requireClient(db, request.params, organizationId);
  await requireGroup(db, organizationId, request.path.groupId);
  const entityId = stringParam(request.params, 'entity_id');
  const customer = entityId
    ? await findCustomer(db, organizationId, entityId)
    : await createCustomer(db, { organizationId });
  if (!customer) throw invalidRequest('invalid_request', `Unknown entity_id ${entityId}`);
  if (!entityId) await recordIncomingCustomer(configurationChanges, agent, customer);
  await requireNotBanned(db, organizationId, customer.id);
  const token = await issueCustomerToken(db, {
    organizationId,
    customerId: customer.id,
    clientId: client.id,
    ...(request.path.groupId === undefined ? {} : { groupId: request.path.groupId }),
  });
  return { body: { ...tokenBody(token, customer.id, organizationId), client_id: client.id } };
}

function tokenBody(
  token: { accessToken: string; expiresIn: number; tokenType: string },
  customerId: string,
  organizationId: string,
): Record<string, unknown> {
  return {
    access_token: token.accessToken,
    entity_id: customerId,
    expires_in: token.expiresIn,
    token_type: token.tokenType,
    organization_id: organizationId,
  };
}

function organizationOf(request: CustomerTokenRequest): string | undefined {
  const fromBody = stringParam(request.params, 'organization_id');
  const fromPath = request.path.organizationId;
  if (fromBody && fromPath && fromBody !== fromPath) {
    throw invalidRequest('invalid_request', 'organization_id differs from the one in the path');
  }
  return fromPath ?? fromBody;
}

async function requireClient(
  db: Kysely<AccountsDatabase>,
  params: Record<string, unknown>,
  organizationId: string,
) {
  const clientId = stringParam(params, 'client_id');
  if (!clientId) throw invalidRequest('invalid_request', 'client_id is required');
  const client = await findClient(db, clientId);
  if (!client || client.organizationId !== organizationId) {
    throw new TokenGrantError('authorization', 'invalid_client', 'Unknown client_id');
  }
  return client;
}

async function requireGroup(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  groupId: number | undefined,
): Promise<void> {
  if (groupId === undefined) return;
  const groups = await listGroups(db, organizationId);
  if (!groups.some((group) => group.id === groupId)) {
    throw new TokenGrantError(
      'group_not_found',
      'invalid_request',
      `Group ${groupId} does not exist`,
    );
  }
}

function invalidRequest(oauthException: string, message: string): TokenGrantError {
  return new TokenGrantError('validation', oauthException, message);
}

function stringParam(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
