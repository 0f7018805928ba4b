import type { Kysely } from 'kysely';
import { type AgentRole, findAgent, type LoginStatus } from './agents.ts';
import { type Customer, findCustomer } from './customers.ts';
import type { AccountsDatabase } from './database.ts';
import { generalGroupId } from './organizations.ts';
import { hashSecret, parseCredentials } from './secrets.ts';
import { isUuid } from './validation.ts';

/** Who a verified credential belongs to: what the gateway puts in `Command.requester`. */
export interface Identity {
  organizationId: string;
  /** Agents: e-mail; bots: 32 hex; customers: UUID. */
  userId: string;
  userType: 'agent' | 'bot' | 'customer';
  name: string;
  email: string;
  avatar: string;
  jobTitle: string;
  groupIds: number[];
  /** Agents and bots; customers have none. */
  role: AgentRole | undefined;
  maxChatsCount: number;
  /** The OAuth client a bearer token was issued to, if any. */
  clientId: string | undefined;
  credential: 'personal_access_token' | 'bearer';
  /**
   * Which token this is, without the secret: a personal access token's id, a bearer token's
   * hash. A revocation names it, so a gateway closes only the sessions opened with that token.
   */
  credentialId?: string | undefined;
  /** Bearer tokens, and personal access tokens given an expiry. */
  expiresAt: Date | undefined;
  /**
   * Agents and bots: the OAuth scopes a bearer token is limited to. Undefined means every scope
   * (personal access tokens, and bearer tokens issued without a list).
   */
  scopes?: readonly string[];
  /**
   * Agents and bots: a suspended agent, or one awaiting approval, still authenticates (it may ask
   * to be unsuspended) but the gateway refuses its other requests.
   */
  suspended?: boolean;
  awaitingApproval?: boolean;
  /** Agents: the routing status to start with after an RTM login (`login_status`). */
  loginStatus?: LoginStatus;
  /** Agents and bots: the account behind them (LiveChat's `account_id`). */
  accountId?: string;
}

/**
 * Verifies an Authorization header value (`Basic base64(account_id:PAT)` or `Bearer <token>`), or
 * an RTM login token, which carries the same string. Anything that does not verify, including an
 * expired bearer token, yields undefined: the caller answers `authentication`.
 */
export async function authenticate(
  db: Kysely<AccountsDatabase>,
  authorization: string | undefined,
  now = new Date(),
): Promise<Identity | undefined> {
  return (await verifyCredential(db, authorization, now))?.identity;
}

/** A verified credential's identity and, for a customer, the customer row it was verified with. */
export interface VerifiedCredential {
  identity: Identity;
  customer: Customer | undefined;
}

/**
 * `authenticate`, also handing back the customer it read: a customer's RTM login needs the
 * customer for its response and its greeting check, and need not read it again.
 */
export async function verifyCredential(
  db: Kysely<AccountsDatabase>,
  authorization: string | undefined,
  now = new Date(),
): Promise<VerifiedCredential | undefined> {
  const credentials = parseCredentials(authorization);
  if (!credentials) return undefined;
  if (credentials.scheme === 'basic') {
    const identity = await authenticatePersonalAccessToken(
      db,
      credentials.accountId,
      credentials.secret,
      now,
    );
    return identity && { identity, customer: undefined };
  }
  return authenticateBearer(db, credentials.token, now);
}

async function authenticatePersonalAccessToken(
  db: Kysely<AccountsDatabase>,
  accountId: string,
  pat: string,
  now: Date,
): Promise<Identity | undefined> {
  if (!isUuid(accountId)) return undefined;
  const row = await db
    .selectFrom('personal_access_tokens')
    .innerJoin('agents', 'agents.account_id', 'personal_access_tokens.account_id')
    .select([
      'agents.organization_id',
      'agents.id',
      'personal_access_tokens.id as token_id',
      'personal_access_tokens.expires_at',
    ])
    .where('personal_access_tokens.token_hash', '=', hashSecret(pat))
    .where('personal_access_tokens.account_id', '=', accountId)
    .where((where) =>
      where.or([
        where('personal_access_tokens.expires_at', 'is', null),
        where('personal_access_tokens.expires_at', '>', now),
      ]),
    )
    .executeTakeFirst();
  if (!row) return undefined;
  return agentIdentity(db, row.organization_id, row.id, {
    credential: 'personal_access_token',
    credentialId: row.token_id,
    clientId: undefined,
    expiresAt: row.expires_at ?? undefined,
  });
}

async function authenticateBearer(
  db: Kysely<AccountsDatabase>,
  token: string,
  now: Date,
): Promise<VerifiedCredential | undefined> {
  const row = await db
    .selectFrom('issued_tokens')
    .selectAll()
    .where('token_hash', '=', hashSecret(token))
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (!row) return undefined;
  const issued = {
    credential: 'bearer' as const,
    credentialId: row.token_hash,
    clientId: row.client_id ?? undefined,
    expiresAt: row.expires_at,
  };
  if (row.entity_type !== 'customer') {
    const identity = await agentIdentity(db, row.organization_id, row.entity_id, issued);
    if (identity && row.scopes) identity.scopes = row.scopes;
    return identity && { identity, customer: undefined };
  }
  const customer = await findCustomer(db, row.organization_id, row.entity_id);
  if (!customer) return undefined;
  return { identity: customerIdentity(customer, issued, row.group_id ?? generalGroupId), customer };
}

/**
 * A customer as a requester, under a bearer token of `clientId`, in one group (the token's). Also
 * for a customer a token grant has just created, before it is authenticated by a token of its own.
 */
export function customerIdentity(
  customer: Customer,
  issued: Pick<Identity, 'clientId' | 'expiresAt' | 'credentialId'>,
  groupId: number = generalGroupId,
): Identity {
  return {
    organizationId: customer.organizationId,
    userId: customer.id,
    userType: 'customer',
    name: customer.name ?? '',
    email: customer.email ?? '',
    avatar: customer.avatar ?? '',
    jobTitle: '',
    groupIds: [groupId],
    role: undefined,
    maxChatsCount: 0,
    credential: 'bearer',
    ...issued,
  };
}

async function agentIdentity(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  agentId: string,
  issued: Pick<Identity, 'credential' | 'credentialId' | 'clientId' | 'expiresAt'>,
): Promise<Identity | undefined> {
  const agent = await findAgent(db, organizationId, agentId);
  if (!agent) return undefined;
  return {
    organizationId: agent.organizationId,
    userId: agent.id,
    userType: agent.type,
    name: agent.name,
    email: agent.type === 'agent' ? agent.id : '',
    avatar: agent.avatar,
    jobTitle: agent.jobTitle,
    groupIds: agent.groups.map((group) => group.id),
    role: agent.role,
    maxChatsCount: agent.maxChatsCount,
    clientId: issued.clientId ?? agent.ownerClientId,
    credential: issued.credential,
    credentialId: issued.credentialId,
    expiresAt: issued.expiresAt,
    suspended: agent.suspended,
    awaitingApproval: agent.awaitingApproval,
    loginStatus: agent.loginStatus,
    accountId: agent.accountId,
  };
}
