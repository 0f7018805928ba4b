import {
  type Agent,
  type AgentRole,
  createAgent,
  findAgent,
  type GroupPriority,
  type IssuedToken,
  issueAgentToken,
} from '@threadline/accounts';
import type { Command } from './command.ts';
import {
  type OptionValues,
  optionalInteger,
  optionalString,
  requiredString,
  UsageError,
} from './options.ts';

export const agentCreate: Command = {
  name: 'agent create',
  usage:
    'agent create --organization ID --email E --name N [--groups 0,1:first] [--role owner|viceowner|administrator|normal] [--max-chats 6] [--job-title T] [--avatar URL]',
  options: {
    organization: { type: 'string' },
    email: { type: 'string' },
    name: { type: 'string' },
    groups: { type: 'string' },
    role: { type: 'string' },
    'max-chats': { type: 'string' },
    'job-title': { type: 'string' },
    avatar: { type: 'string' },
  },
  async run(db, values) {
    const created = await createAgent(db, {
      organizationId: requiredString(values, 'organization'),
      email: requiredString(values, 'email'),
      name: requiredString(values, 'name'),
      role: (optionalString(values, 'role') ?? 'normal') as AgentRole,
      groups: groupsOption(values),
      ...definedOptions(values),
    });
    return {
      ...agentJson(created.agent),
      pat_id: created.patId,
      pat: created.pat,
      basic_auth: created.basicCredentials,
      authorization: `Basic ${created.basicCredentials}`,
    };
  },
};

export const agentToken: Command = {
  name: 'agent token',
  usage:
    'agent token --organization ID --email E [--client ID] [--expires-in 28800] [--scopes chats--access:rw,customers:ro]',
  options: {
    organization: { type: 'string' },
    email: { type: 'string' },
    client: { type: 'string' },
    'expires-in': { type: 'string' },
    scopes: { type: 'string' },
  },
  async run(db, values) {
    const clientId = optionalString(values, 'client');
    const lifetimeSeconds = optionalInteger(values, 'expires-in');
    // Without --scopes the token has every scope of the agent, like its personal access token.
    const scopes = optionalString(values, 'scopes')
      ?.split(/[\s,]+/)
      .filter(Boolean);
    const token = await issueAgentToken(db, {
      organizationId: requiredString(values, 'organization'),
      agentId: requiredString(values, 'email').toLowerCase(),
      ...(clientId ? { clientId } : {}),
      ...(lifetimeSeconds ? { lifetimeSeconds } : {}),
      ...(scopes ? { scopes } : {}),
    });
    return tokenJson(token);
  },
};

export const agentShow: Command = {
  name: 'agent show',
  usage: 'agent show --organization ID --email E',
  options: { organization: { type: 'string' }, email: { type: 'string' } },
  async run(db, values) {
    const email = requiredString(values, 'email').toLowerCase();
    const agent = await findAgent(db, requiredString(values, 'organization'), email);
    if (!agent) throw new UsageError(`Agent ${email} does not exist in this organization`);
    return agentJson(agent);
  },
};

/** `--groups 0,1:first,2:supervisor` → memberships with priorities (default `normal`). */
export function groupsOption(
  values: OptionValues,
): { id: number; priority: GroupPriority }[] | undefined {
  const value = optionalString(values, 'groups');
  if (value === undefined) return undefined;
  return value.split(',').map((item) => {
    const match = /^\s*(\d+)(?::(first|normal|last|supervisor))?\s*$/.exec(item);
    if (!match) {
      throw new UsageError(
        `--groups takes ids with optional priorities, like 0,1:first; got "${item}"`,
      );
    }
    return { id: Number(match[1]), priority: (match[2] ?? 'normal') as GroupPriority };
  });
}

/** Options shared by agents and bots, only when given (the accounts defaults apply otherwise). */
export function definedOptions(values: OptionValues): {
  maxChatsCount?: number;
  jobTitle?: string;
  avatar?: string;
} {
  const maxChatsCount = optionalInteger(values, 'max-chats');
  const jobTitle = optionalString(values, 'job-title');
  const avatar = optionalString(values, 'avatar');
  return {
    ...(maxChatsCount !== undefined ? { maxChatsCount } : {}),
    ...(jobTitle !== undefined ? { jobTitle } : {}),
    ...(avatar !== undefined ? { avatar } : {}),
  };
}

export function agentJson(agent: Agent): Record<string, unknown> {
  return {
    organization_id: agent.organizationId,
    id: agent.id,
    account_id: agent.accountId,
    type: agent.type,
    name: agent.name,
    role: agent.role,
    max_chats_count: agent.maxChatsCount,
    job_title: agent.jobTitle,
    avatar: agent.avatar,
    groups: agent.groups,
    ...(agent.ownerClientId ? { owner_client_id: agent.ownerClientId } : {}),
  };
}

export function tokenJson(token: IssuedToken): Record<string, unknown> {
  return {
    access_token: token.accessToken,
    token_type: token.tokenType,
    expires_in: token.expiresIn,
    expires_at: token.expiresAt.toISOString(),
  };
}
