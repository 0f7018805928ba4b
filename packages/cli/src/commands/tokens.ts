import {
  type AccountsDatabase,
  createPersonalAccessToken,
  findAgent,
  listPersonalAccessTokens,
  revokePersonalAccessToken,
  revokeToken,
} from '@threadline/accounts';
import type { TokenRevocation } from '@threadline/bus';
import type { Kysely } from '@threadline/postgres';
import type { Command } from './command.ts';
import { type OptionValues, optionalInteger, requiredString, UsageError } from './options.ts';
import type { Services } from './services.ts';

/**
 * Agents' personal access tokens and the revocation of bearer tokens. LiveChat manages PATs in
 * its Developer Console, outside the three APIs, so here they are the operator's: created, listed
 * and revoked with the admin CLI. A revocation refuses the token's next request on every gateway
 * at once (each request verifies against the accounts database; no gateway caches a
 * verification), and ends the RTM sessions already logged in with it over NATS.
 */

const agentOptions = { organization: { type: 'string' }, email: { type: 'string' } } as const;

export const agentPatCreate: Command = {
  name: 'agent pat create',
  usage: 'agent pat create --organization ID --email E [--expires-in SECONDS]',
  options: { ...agentOptions, 'expires-in': { type: 'string' } },
  async run(db, values) {
    const agent = await requireAgent(db, values);
    const lifetimeSeconds = optionalInteger(values, 'expires-in');
    if (lifetimeSeconds !== undefined && lifetimeSeconds < 1) {
      throw new UsageError('--expires-in takes a positive number of seconds');
    }
    const token = await createPersonalAccessToken(db, agent.accountId, { lifetimeSeconds });
    return {
      id: token.id,
      account_id: agent.accountId,
      pat: token.pat,
      basic_auth: token.basicCredentials,
      authorization: `Basic ${token.basicCredentials}`,
      expires_at: token.expiresAt?.toISOString() ?? null,
    };
  },
};

export const agentPatList: Command = {
  name: 'agent pat list',
  usage: 'agent pat list --organization ID --email E',
  options: agentOptions,
  async run(db, values) {
    const agent = await requireAgent(db, values);
    const now = Date.now();
    const tokens = await listPersonalAccessTokens(db, agent.accountId);
    return {
      account_id: agent.accountId,
      personal_access_tokens: tokens.map((token) => ({
        id: token.id,
        created_at: token.createdAt.toISOString(),
        expires_at: token.expiresAt?.toISOString() ?? null,
        expired: token.expiresAt !== undefined && token.expiresAt.getTime() <= now,
      })),
    };
  },
};

export const agentPatRevoke: Command = {
  name: 'agent pat revoke',
  usage: 'agent pat revoke --organization ID --email E --id TOKEN_ID',
  options: { ...agentOptions, id: { type: 'string' } },
  async run(db, values, services) {
    const agent = await requireAgent(db, values);
    const id = requiredString(values, 'id');
    if (!(await revokePersonalAccessToken(db, agent.accountId, id))) {
      throw new UsageError(`Agent ${agent.id} has no personal access token ${id}`);
    }
    return {
      revoked: id,
      ...(await endSessions(services, {
        organizationId: agent.organizationId,
        userType: 'agent',
        userId: agent.id,
        credentialId: id,
      })),
    };
  },
};

export const tokenRevoke: Command = {
  name: 'token revoke',
  usage: 'token revoke --token ACCESS_TOKEN',
  options: { token: { type: 'string' } },
  async run(db, values, services) {
    const token = requiredString(values, 'token').replace(/^bearer\s+/i, '');
    const revoked = await revokeToken(db, token);
    if (!revoked) throw new UsageError('No such live token (expired, revoked or never issued)');
    return {
      organization_id: revoked.organizationId,
      entity_type: revoked.entityType,
      entity_id: revoked.entityId,
      ...(await endSessions(services, {
        organizationId: revoked.organizationId,
        userType: revoked.entityType,
        userId: revoked.entityId,
        credentialId: revoked.credentialId,
      })),
    };
  },
};

async function requireAgent(db: Kysely<AccountsDatabase>, values: OptionValues) {
  const email = requiredString(values, 'email').toLowerCase();
  const agent = await findAgent(db, requiredString(values, 'organization'), email);
  if (agent?.type !== 'agent') {
    throw new UsageError(`Agent ${email} does not exist in this organization`);
  }
  return agent;
}

/**
 * The revocation has committed: the token is refused from now on whatever happens here. Without
 * NATS the sessions already logged in with it are not told; the output says so, for the
 * operator to retry with the gateways reachable or to wait for those sockets to end.
 */
async function endSessions(
  services: Services,
  revocation: TokenRevocation,
): Promise<{ sessions_notified: boolean; warning?: string }> {
  try {
    await services.tokenRevoked(revocation);
    return { sessions_notified: true };
  } catch (error) {
    return {
      sessions_notified: false,
      warning: `logged-in sessions were not told (NATS: ${error instanceof Error ? error.message : String(error)})`,
    };
  }
}
