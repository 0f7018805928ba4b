import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { z } from 'zod';
import type { AccountsDatabase, AgentTable, WorkScheduler } from './database.ts';
import { AccountsError } from './errors.ts';
import {
  type GroupMembership,
  type GroupPriority,
  membershipInput,
  membershipsOfAgents,
  normalizeMemberships,
  requireGroups,
} from './memberships.ts';
import { requireOrganization } from './organizations.ts';
import {
  type CreatedPersonalAccessToken,
  createPersonalAccessToken,
} from './personal-access-tokens.ts';
import { hashSecret, newHexId, newSecretToken } from './secrets.ts';
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
export type { WorkScheduler } from './database.ts';
export type { GroupMembership, GroupPriority } from './memberships.ts';

/** LiveChat's `login_status`: how an agent starts after logging in. */
export type LoginStatus = 'accepting chats' | 'not accepting chats';

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
  loginStatus: LoginStatus;
  mobile: string;
  notifications: string[];
  emailSubscriptions: string[];
  workScheduler: WorkScheduler | undefined;
  suspended: boolean;
  awaitingApproval: boolean;
  /** Bots: the priority of a group given without one. */
  defaultGroupPriority: GroupPriority | undefined;
  /** Bots: LiveChat's free-form `type` (`chatbot` unless told). */
  botType: string | undefined;
}

export const loginStatusSchema = z.enum(['accepting chats', 'not accepting chats']);
/** The protocol's schema has checked the shape; accounts only keeps it (JSON). */
export const workSchedulerSchema = z.custom<WorkScheduler>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'work_scheduler must be an object',
);
const labels = z.array(z.string().min(1).max(64)).max(50);

const commonInput = {
  organizationId: z.string(),
  name: nameSchema,
  maxChatsCount: maxChatsCountSchema.default(6),
  avatar: z.string().max(2048).default(''),
  jobTitle: z.string().max(255).default(''),
  groups: z.array(membershipInput).max(500).default([]),
  workScheduler: workSchedulerSchema.optional(),
};

const createAgentInput = z.object({
  ...commonInput,
  email: emailSchema,
  role: roleSchema.default('normal'),
  loginStatus: loginStatusSchema.default('accepting chats'),
  mobile: z.string().max(32).default(''),
  notifications: labels.default([]),
  emailSubscriptions: labels.default([]),
  awaitingApproval: z.boolean().default(false),
});

const createBotInput = z.object({
  ...commonInput,
  ownerClientId: z.string().min(1).optional(),
  defaultGroupPriority: prioritySchema.optional(),
  botType: z.string().min(1).max(64).default('chatbot'),
});

export type CreateAgentInput = z.input<typeof createAgentInput>;
export type CreateBotInput = z.input<typeof createBotInput>;

export interface CreatedAgent {
  agent: Agent;
  /** The personal access token's id (`listPersonalAccessTokens`, `revokePersonalAccessToken`). */
  patId: string;
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
  let token: CreatedPersonalAccessToken | undefined;
  const agent = await insertNewAgent(db, input, async (trx, row) => {
    token = await createPersonalAccessToken(trx, row.accountId);
  });
  const { id, pat, basicCredentials } = token as CreatedPersonalAccessToken;
  return { agent, patId: id, pat, basicCredentials };
}

/**
 * Creates an agent without credentials (the Configuration API's `create_agent`): LiveChat invites
 * the person by e-mail; here an administrator hands out a token with the admin CLI.
 */
export async function registerAgent(
  db: Kysely<AccountsDatabase>,
  input: CreateAgentInput,
): Promise<Agent> {
  return insertNewAgent(db, input);
}

async function insertNewAgent(
  db: Kysely<AccountsDatabase>,
  input: CreateAgentInput,
  alsoInTransaction?: (trx: Transaction<AccountsDatabase>, agent: Agent) => Promise<void>,
): Promise<Agent> {
  const parsed = parseInput(createAgentInput, input);
  await requireOrganization(db, parsed.organizationId);
  return insertAgent(
    db,
    {
      ...parsed,
      id: parsed.email,
      type: 'agent',
      memberships: normalizeMemberships(parsed.groups),
    },
    alsoInTransaction,
  );
}

export interface CreatedBot {
  bot: Agent;
  /** The bot secret, needed to issue bot tokens; only its hash is stored. */
  secret: string;
}

/** What a bot made from a bot template takes from it (`bot-templates.ts`). */
export interface BotOrigin {
  id: string;
  secret: string;
  /** Writes the template in the bot's transaction: both are stored, or neither. */
  alsoInTransaction(trx: Transaction<AccountsDatabase>): Promise<void>;
}

/**
 * Creates a bot (id = 32 hex); it authenticates with tokens issued against its secret. A bot made
 * from a template has the template's id and secret.
 */
export async function createBot(
  db: Kysely<AccountsDatabase>,
  input: CreateBotInput,
  template?: BotOrigin,
): Promise<CreatedBot> {
  const parsed = parseInput(createBotInput, input);
  await requireOrganization(db, parsed.organizationId);
  if (parsed.ownerClientId) await requireClientOf(db, parsed.organizationId, parsed.ownerClientId);
  const secret = template?.secret ?? newSecretToken();
  const bot = await insertAgent(
    db,
    {
      ...parsed,
      id: template?.id ?? newHexId(),
      type: 'bot',
      role: 'normal',
      secretHash: hashSecret(secret),
      memberships: normalizeMemberships(parsed.groups, parsed.defaultGroupPriority),
    },
    template && ((trx) => template.alsoInTransaction(trx)),
  );
  return { bot, secret };
}

export async function findAgent(
  db: Kysely<AccountsDatabase> | Transaction<AccountsDatabase>,
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
  const memberships = await membershipsOfAgents(db, organizationId, [agentId]);
  return toAgent(row, memberships.get(agentId) ?? []);
}

/** Used by authentication: agents are found by account id (Basic credentials) too. */
export async function findAgentByAccountId(
  db: Kysely<AccountsDatabase>,
  accountId: string,
): Promise<Agent | undefined> {
  if (!isUuid(accountId)) return undefined;
  const row = await db
    .selectFrom('agents')
    .select(['organization_id', 'id'])
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row && findAgent(db, row.organization_id, row.id);
}

export interface AgentFilters {
  type: 'agent' | 'bot';
  /** Only members of any of these groups. */
  groupIds?: readonly number[] | undefined;
  suspended?: boolean | undefined;
  /** Bots: only those of this OAuth client (`null`: bots no client owns). */
  ownerClientId?: string | null | undefined;
}

/** The organization's agents (or bots), oldest first. */
export async function listAgents(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  filters: AgentFilters,
): Promise<Agent[]> {
  if (!isUuid(organizationId)) return [];
  let query = db
    .selectFrom('agents')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('type', '=', filters.type);
  if (filters.suspended !== undefined) query = query.where('suspended', '=', filters.suspended);
  if (filters.ownerClientId !== undefined) {
    query =
      filters.ownerClientId === null
        ? query.where('owner_client_id', 'is', null)
        : query.where('owner_client_id', '=', filters.ownerClientId);
  }
  if (filters.groupIds && filters.groupIds.length > 0) {
    const groupIds = [...filters.groupIds];
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('agent_groups')
          .select('agent_groups.agent_id')
          .whereRef('agent_groups.organization_id', '=', 'agents.organization_id')
          .whereRef('agent_groups.agent_id', '=', 'agents.id')
          .where('agent_groups.group_id', 'in', groupIds),
      ),
    );
  }
  const rows = await query.orderBy('created_at').orderBy('id').execute();
  const memberships = await membershipsOfAgents(
    db,
    organizationId,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toAgent(row, memberships.get(row.id) ?? []));
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
  memberships: GroupMembership[];
  workScheduler?: WorkScheduler | undefined;
  loginStatus?: LoginStatus;
  mobile?: string;
  notifications?: string[];
  emailSubscriptions?: string[];
  awaitingApproval?: boolean;
  ownerClientId?: string | undefined;
  secretHash?: string;
  defaultGroupPriority?: GroupPriority | undefined;
  botType?: string;
}

async function insertAgent(
  db: Kysely<AccountsDatabase>,
  record: AgentRecord,
  alsoInTransaction?: (trx: Transaction<AccountsDatabase>, agent: Agent) => Promise<void>,
): Promise<Agent> {
  try {
    return await db.transaction().execute(async (trx) => {
      await requireGroups(
        trx,
        record.organizationId,
        record.memberships.map((membership) => membership.id),
      );
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
          ...(record.loginStatus ? { login_status: record.loginStatus } : {}),
          ...(record.mobile ? { mobile: record.mobile } : {}),
          notifications: JSON.stringify(record.notifications ?? []),
          email_subscriptions: JSON.stringify(record.emailSubscriptions ?? []),
          work_scheduler: record.workScheduler ? JSON.stringify(record.workScheduler) : null,
          awaiting_approval: record.awaitingApproval ?? false,
          default_group_priority: record.defaultGroupPriority ?? null,
          bot_type: record.botType ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('agent_groups')
        .values(
          record.memberships.map((membership) => ({
            organization_id: record.organizationId,
            agent_id: record.id,
            group_id: membership.id,
            priority: membership.priority,
          })),
        )
        .execute();
      const agent = toAgent(row, record.memberships);
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

/** An OAuth client of another organization (or none at all) cannot own anything here. */
export async function requireClientOf(
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

export function toAgent(row: Selectable<AgentTable>, groups: GroupMembership[]): Agent {
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
    loginStatus: row.login_status as LoginStatus,
    mobile: row.mobile,
    notifications: row.notifications,
    emailSubscriptions: row.email_subscriptions,
    workScheduler: row.work_scheduler ?? undefined,
    suspended: row.suspended,
    awaitingApproval: row.awaiting_approval,
    defaultGroupPriority: (row.default_group_priority as GroupPriority | null) ?? undefined,
    botType: row.bot_type ?? undefined,
  };
}
