import { botTokenScopes } from '@threadline/protocol';
import type { Kysely } from 'kysely';
import { recordChannelActivity } from './channels.ts';
import type { AccountsDatabase } from './database.ts';
import { AccountsError } from './errors.ts';
import { hashSecret, newSecretToken } from './secrets.ts';
import { isUuid } from './validation.ts';

/** LiveChat's access tokens live 8 hours (`expires_in: 28800`). */
export const tokenLifetimeSeconds = 28_800;

/** Configuration API `issue_bot_token`: "The token is valid for 24 hours." */
export const botTokenLifetimeSeconds = 86_400;

export interface IssuedToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  expiresAt: Date;
}

interface TokenGrant {
  organizationId: string;
  entityType: 'agent' | 'bot' | 'customer';
  entityId: string;
  clientId?: string | undefined;
  groupId?: number | undefined;
  /** Limits the token to these OAuth scopes; absent, it has every scope of its holder. */
  scopes?: readonly string[] | undefined;
  lifetimeSeconds?: number | undefined;
  now?: Date | undefined;
}

async function issueToken(db: Kysely<AccountsDatabase>, grant: TokenGrant): Promise<IssuedToken> {
  const lifetime = grant.lifetimeSeconds ?? tokenLifetimeSeconds;
  const expiresAt = new Date((grant.now ?? new Date()).getTime() + lifetime * 1000);
  const accessToken = newSecretToken();
  await db
    .insertInto('issued_tokens')
    .values({
      token_hash: hashSecret(accessToken),
      organization_id: grant.organizationId,
      entity_type: grant.entityType,
      entity_id: grant.entityId,
      client_id: grant.clientId ?? null,
      group_id: grant.groupId ?? null,
      scopes: grant.scopes ? JSON.stringify(grant.scopes) : null,
      expires_at: expiresAt,
    })
    .execute();
  return { accessToken, tokenType: 'Bearer', expiresIn: lifetime, expiresAt };
}

/**
 * A customer access token (what `/v2/customer/token` hands out). `groupId` is set for per-group
 * identities (`/v2/customer/<organization>/<group>/token`).
 */
export async function issueCustomerToken(
  db: Kysely<AccountsDatabase>,
  input: {
    organizationId: string;
    customerId: string;
    clientId?: string;
    groupId?: number;
    now?: Date;
  },
): Promise<IssuedToken> {
  const token = await issueToken(db, {
    ...input,
    entityType: 'customer',
    entityId: input.customerId,
  });
  // The client's channel is active from its first customer on (`list_channels`).
  if (input.clientId) {
    await recordChannelActivity(db, input.organizationId, input.clientId, input.now ?? new Date());
  }
  return token;
}

/**
 * A bot's bearer token, issued against the bot's secret (LiveChat 3.6: `issue_bot_token`). The
 * token acts for the bot on the Web API; bots cannot use the agent RTM API. Unless told
 * otherwise it carries LiveChat's three bot scopes (`botTokenScopes`), so a leaked bot token can
 * chat but not configure the organization.
 */
export async function issueBotToken(
  db: Kysely<AccountsDatabase>,
  input: {
    organizationId: string;
    botId: string;
    secret: string;
    clientId?: string;
    scopes?: readonly string[];
    /** LiveChat's `issue_bot_token` gives a day (`botTokenLifetimeSeconds`); the default is 8 h. */
    lifetimeSeconds?: number;
    now?: Date;
  },
): Promise<IssuedToken> {
  const bot = isUuid(input.organizationId)
    ? await db
        .selectFrom('agents')
        .select(['secret_hash', 'owner_client_id'])
        .where('organization_id', '=', input.organizationId)
        .where('id', '=', input.botId)
        .where('type', '=', 'bot')
        .executeTakeFirst()
    : undefined;
  if (!bot || bot.secret_hash !== hashSecret(input.secret)) {
    throw new AccountsError('authorization', 'Unknown bot or wrong bot secret');
  }
  return issueToken(db, {
    organizationId: input.organizationId,
    entityType: 'bot',
    entityId: input.botId,
    clientId: input.clientId ?? bot.owner_client_id ?? undefined,
    scopes: input.scopes ?? botTokenScopes,
    lifetimeSeconds: input.lifetimeSeconds,
    now: input.now,
  });
}

/**
 * An agent bearer token, for clients that only speak `Authorization: Bearer` (lc-sdk-js's Web
 * API, for one). Threadline stands in for LiveChat's OAuth server here; the admin CLI issues them.
 */
export async function issueAgentToken(
  db: Kysely<AccountsDatabase>,
  input: {
    organizationId: string;
    agentId: string;
    clientId?: string;
    scopes?: readonly string[];
    lifetimeSeconds?: number;
    now?: Date;
  },
): Promise<IssuedToken> {
  const agent = isUuid(input.organizationId)
    ? await db
        .selectFrom('agents')
        .select('id')
        .where('organization_id', '=', input.organizationId)
        .where('id', '=', input.agentId)
        .where('type', '=', 'agent')
        .executeTakeFirst()
    : undefined;
  if (!agent) throw new AccountsError('not_found', `Agent ${input.agentId} does not exist`);
  return issueToken(db, { ...input, entityType: 'agent', entityId: input.agentId });
}

/** Whose token a revocation ended, so sessions opened with it can be told (`Identity`). */
export interface RevokedToken {
  organizationId: string;
  entityType: 'agent' | 'bot' | 'customer';
  entityId: string;
  /** `Identity.credentialId` of the sessions it authenticated. */
  credentialId: string;
}

/** Ends a bearer token's life at once (logout, leaked token); undefined if it was not live. */
export async function revokeToken(
  db: Kysely<AccountsDatabase>,
  accessToken: string,
): Promise<RevokedToken | undefined> {
  const row = await db
    .deleteFrom('issued_tokens')
    .where('token_hash', '=', hashSecret(accessToken))
    .returning(['organization_id', 'entity_type', 'entity_id', 'token_hash'])
    .executeTakeFirst();
  return (
    row && {
      organizationId: row.organization_id,
      entityType: row.entity_type as RevokedToken['entityType'],
      entityId: row.entity_id,
      credentialId: row.token_hash,
    }
  );
}

/** Forgets tokens that expired before `now`; returns how many. */
export async function deleteExpiredTokens(
  db: Kysely<AccountsDatabase>,
  now = new Date(),
): Promise<number> {
  const result = await db
    .deleteFrom('issued_tokens')
    .where('expires_at', '<', now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
