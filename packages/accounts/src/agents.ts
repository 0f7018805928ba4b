import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { AccountsDatabase } from './database.ts';
import { AccountsError } from './errors.ts';
import { generalGroupId, requireOrganization } from './organizations.ts';
import { basicCredentials, hashSecret, newHexId, newSecretToken } from './secrets.ts';
import {
  emailSchema,
  isUniqueViolation,
  isUuid,
  maxChatsCountSchema,
  nameSchema,
  parseInput,
  prioritySchema,
  roleSchema,
} from './validation.ts';

export type AgentRole = z.infer<typeof roleSchema>;
export type GroupPriority = z.infer<typeof prioritySchema>;

export interface GroupMembership {
  id: number;
  priority: GroupPriority;
}

/** An agent or a bot: both are chat users that act for the organization. */
export interface Agent {
  organizationId: string;
  /** Agents: their e-mail address; bots: 32 hex characters. */
  id: string;
  accountId: string;
  type: 'agent' | 'bot';
  name: string;
  role: AgentRole;
  maxChatsCount: number;
  avatar: string;
  jobTitle: string;
  groups: GroupMembership[];
  ownerClientId: string | undefined;
  createdAt: Date;
}

const membershipInput = z.union([
  z.number().int().min(0),
  z.object({ id: z.number().int().min(0), priority: prioritySchema.default('normal') }),
]);

const commonInput = {
  organizationId: z.string(),
  name: nameSchema,
  maxChatsCount: maxChatsCountSchema.default(6),
  avatar: z.string().max(2048).default(''),
  jobTitle: z.string().max(255).default(''),
  groups: z.array(membershipInput).max(500).default([]),
};

const createAgentInput = z.object({
  ...commonInput,
  email: emailSchema,
  role: roleSchema.default('normal'),
});

const createBotInput = z.object({
  ...commonInput,
  ownerClientId: z.string().min(1).optional(),
});

export type CreateAgentInput = z.input<typeof createAgentInput>;
export type CreateBotInput = z.input<typeof createBotInput>;

export interface CreatedAgent {
  agent: Agent;
  /** The personal access token; only its hash is stored, so this is the one chance to read it. */
  pat: string;
  /** `base64(account_id:pat)`, for `Authorization: Basic …`. */
  basicCredentials: string;
}

/** Creates an agent (id = e-mail) with a first personal access token. */
export async function createAgent(
  db: Kysely<AccountsDatabase>,
  input: CreateAgentInput,
): Promise<CreatedAgent> {
  const parsed = parseInput(createAgentInput, input);
  await requireOrganization(db, parsed.organizationId);
  const pat = newSecretToken();
  const agent = await insertAgent(
    db,
    { ...parsed, id: parsed.email, type: 'agent' },
    async (trx, row) => {
      await trx
        .insertInto('personal_access_tokens')
        .values({ token_hash: hashSecret(pat), account_id: row.accountId })
        .execute();
    },
  );
  return { agent, pat, basicCredentials: basicCredentials(agent.accountId, pat) };
}

export interface CreatedBot {
  bot: Agent;
  /** The bot secret, needed to issue bot tokens; only its hash is stored. */
  secret: string;
}

/** Creates a bot (id = 32 hex); it authenticates with tokens issued against its secret. */
export async function createBot(
  db: Kysely<AccountsDatabase>,
  input: CreateBotInput,
): Promise<CreatedBot> {
  const parsed = parseInput(createBotInput, input);
  await requireOrganization(db, parsed.organizationId);
  if (parsed.ownerClientId) await requireClientOf(db, parsed.organizationId, parsed.ownerClientId);
  const secret = newSecretToken();
  const bot = await insertAgent(db, {
    ...parsed,
    id: newHexId(),
    type: 'bot',
    role: 'normal',
    secretHash: hashSecret(secret),
  });
  return { bot, secret };
}

/** A fresh personal access token for an existing agent (earlier ones stay valid). */
export async function createPersonalAccessToken(
  db: Kysely<AccountsDatabase>,
  accountId: string,
): Promise<{ pat: string; basicCredentials: string }> {
  const pat = newSecretToken();
  await db
    .insertInto('personal_access_tokens')
    .values({ token_hash: hashSecret(pat), account_id: accountId })
    .execute();
  return { pat, basicCredentials: basicCredentials(accountId, pat) };
}

export async function findAgent(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  agentId: string,
): Promise<Agent | undefined> {
  if (!isUuid(organizationId)) return undefined;
  const row = await db
    .selectFrom('agents')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', agentId)
    .executeTakeFirst();
  if (!row) return undefined;
  return toAgent(row, await membershipsOf(db, organizationId, agentId));
}

/** Used by authentication: agents are found by account id (Basic credentials) too. */
export async function findAgentByAccountId(
  db: Kysely<AccountsDatabase>,
  accountId: string,
): Promise<Agent | undefined> {
  if (!isUuid(accountId)) return undefined;
  const row = await db
    .selectFrom('agents')
    .selectAll()
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!row) return undefined;
  return toAgent(row, await membershipsOf(db, row.organization_id, row.id));
}

interface AgentRecord {
  organizationId: string;
  id: string;
  type: 'agent' | 'bot';
  name: string;
  role: AgentRole;
  maxChatsCount: number;
  avatar: string;
  jobTitle: string;
  groups: z.infer<typeof membershipInput>[];
  ownerClientId?: string | undefined;
  secretHash?: string;
}

async function insertAgent(
  db: Kysely<AccountsDatabase>,
  record: AgentRecord,
  alsoInTransaction?: (trx: Transaction<AccountsDatabase>, agent: Agent) => Promise<void>,
): Promise<Agent> {
  const memberships = normalizeMemberships(record.groups);
  try {
    return await db.transaction().execute(async (trx) => {
      await requireGroups(trx, record.organizationId, memberships);
      const row = await trx
        .insertInto('agents')
        .values({
          organization_id: record.organizationId,
          id: record.id,
          account_id: randomUUID(),
          type: record.type,
          name: record.name,
          role: record.role,
          max_chats_count: record.maxChatsCount,
          avatar: record.avatar,
          job_title: record.jobTitle,
          owner_client_id: record.ownerClientId ?? null,
          secret_hash: record.secretHash ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('agent_groups')
        .values(
          memberships.map((membership) => ({
            organization_id: record.organizationId,
            agent_id: record.id,
            group_id: membership.id,
            priority: membership.priority,
          })),
        )
        .execute();
      const agent = toAgent(row, memberships);
      await alsoInTransaction?.(trx, agent);
      return agent;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AccountsError('already_exists', `Agent ${record.id} already exists`, {
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * Every agent belongs to group 0 (LiveChat's "General" holds all agents); a group named twice
 * keeps its first priority.
 */
function normalizeMemberships(groups: z.infer<typeof membershipInput>[]): GroupMembership[] {
  const byId = new Map<number, GroupMembership>();
  for (const group of groups) {
    const membership: GroupMembership =
      typeof group === 'number' ? { id: group, priority: 'normal' } : group;
    if (!byId.has(membership.id)) byId.set(membership.id, membership);
  }
  if (!byId.has(generalGroupId))
    byId.set(generalGroupId, { id: generalGroupId, priority: 'normal' });
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

async function requireGroups(
  trx: Transaction<AccountsDatabase>,
  organizationId: string,
  memberships: GroupMembership[],
): Promise<void> {
  const ids = memberships.map((membership) => membership.id);
  const rows = await trx
    .selectFrom('groups')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('id', 'in', ids)
    .execute();
  const existing = new Set(rows.map((row) => row.id));
  const missing = ids.filter((id) => !existing.has(id));
  if (missing.length > 0) {
    throw new AccountsError('not_found', `Group ${missing.join(', ')} does not exist`);
  }
}

async function requireClientOf(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  clientId: string,
): Promise<void> {
  const row = await db
    .selectFrom('clients')
    .select('id')
    .where('id', '=', clientId)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
  if (!row) throw new AccountsError('not_found', `Client ${clientId} does not exist`);
}

async function membershipsOf(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  agentId: string,
): Promise<GroupMembership[]> {
  const rows = await db
    .selectFrom('agent_groups')
    .select(['group_id', 'priority'])
    .where('organization_id', '=', organizationId)
    .where('agent_id', '=', agentId)
    .orderBy('group_id')
    .execute();
  return rows.map((row) => ({ id: row.group_id, priority: row.priority as GroupPriority }));
}

function toAgent(
  row: {
    organization_id: string;
    id: string;
    account_id: string;
    type: 'agent' | 'bot';
    name: string;
    role: string;
    max_chats_count: number;
    avatar: string;
    job_title: string;
    owner_client_id: string | null;
    created_at: Date;
  },
  groups: GroupMembership[],
): Agent {
  return {
    organizationId: row.organization_id,
    id: row.id,
    accountId: row.account_id,
    type: row.type,
    name: row.name,
    role: row.role as AgentRole,
    maxChatsCount: row.max_chats_count,
    avatar: row.avatar,
    jobTitle: row.job_title,
    groups,
    ownerClientId: row.owner_client_id ?? undefined,
    createdAt: row.created_at,
  };
}
