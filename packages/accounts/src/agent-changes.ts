import type { Kysely, Updateable } from 'kysely';
import { z } from 'zod';
import {
  type Agent,
  findAgent,
  loginStatusSchema,
  toAgent,
  workSchedulerSchema,
} from './agents.ts';
import type { AccountsDatabase, AgentTable } from './database.ts';
import { AccountsError } from './errors.ts';
import { membershipInput, normalizeMemberships, replaceMemberships } from './memberships.ts';
import { hashSecret, newSecretToken } from './secrets.ts';
import {
  isUuid,
  maxChatsCountSchema,
  nameSchema,
  parseInput,
  prioritySchema,
  roleSchema,
} from './validation.ts';

const agentChangesInput = z.object({
  name: nameSchema.optional(),
  role: roleSchema.optional(),
  loginStatus: loginStatusSchema.optional(),
  jobTitle: z.string().max(255).optional(),
  mobile: z.string().max(32).optional(),
  avatar: z.string().max(2048).optional(),
  maxChatsCount: maxChatsCountSchema.optional(),
  groups: z.array(membershipInput).max(500).optional(),
  notifications: z.array(z.string().min(1).max(64)).max(50).optional(),
  emailSubscriptions: z.array(z.string().min(1).max(64)).max(50).optional(),
  workScheduler: workSchedulerSchema.optional(),
  defaultGroupPriority: prioritySchema.optional(),
  botType: z.string().min(1).max(64).optional(),
});

/** Fields to change; absent ones stay. `groups` replaces the memberships (group 0 always stays). */
export type AgentChanges = z.input<typeof agentChangesInput>;

type AgentKind = 'agent' | 'bot';

/** Applies changes to an agent or a bot of that kind; `not_found` when there is none. */
export async function updateAgent(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  target: { id: string; type: AgentKind },
  input: AgentChanges,
): Promise<Agent> {
  const changes = parseInput(agentChangesInput, input);
  return db.transaction().execute(async (trx) => {
    const current = await lockAgent(trx, organizationId, target);
    const row = await trx
      .updateTable('agents')
      .set(columnsOf(changes, current))
      .where('organization_id', '=', organizationId)
      .where('id', '=', target.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    let groups = current.groups;
    if (changes.groups) {
      const defaultPriority =
        target.type === 'bot'
          ? (changes.defaultGroupPriority ?? current.defaultGroupPriority)
          : undefined;
      groups = normalizeMemberships(changes.groups, defaultPriority);
      await replaceMemberships(trx, organizationId, target.id, groups);
    }
    return toAgent(row, groups);
  });
}

function columnsOf(
  changes: z.infer<typeof agentChangesInput>,
  current: Agent,
): Updateable<AgentTable> {
  const columns: Updateable<AgentTable> = {
    name: changes.name,
    // Bots keep the role they were created with: a bot never administers the organization.
    role: current.type === 'agent' ? changes.role : undefined,
    login_status: changes.loginStatus,
    job_title: changes.jobTitle,
    mobile: changes.mobile,
    avatar: changes.avatar,
    max_chats_count: changes.maxChatsCount,
    notifications: changes.notifications && JSON.stringify(changes.notifications),
    email_subscriptions: changes.emailSubscriptions && JSON.stringify(changes.emailSubscriptions),
    work_scheduler: changes.workScheduler && JSON.stringify(changes.workScheduler),
    default_group_priority: current.type === 'bot' ? changes.defaultGroupPriority : undefined,
    bot_type: current.type === 'bot' ? changes.botType : undefined,
  };
  const set = Object.fromEntries(
    Object.entries(columns).filter(([, value]) => value !== undefined),
  ) as Updateable<AgentTable>;
  // An update with nothing to set still has to be a valid statement.
  return Object.keys(set).length > 0 ? set : { name: current.name };
}

async function lockAgent(
  trx: Kysely<AccountsDatabase>,
  organizationId: string,
  target: { id: string; type: AgentKind },
): Promise<Agent> {
  const found = isUuid(organizationId)
    ? await trx
        .selectFrom('agents')
        .select('id')
        .where('organization_id', '=', organizationId)
        .where('id', '=', target.id)
        .where('type', '=', target.type)
        .forUpdate()
        .executeTakeFirst()
    : undefined;
  const agent = found && (await findAgent(trx, organizationId, target.id));
  if (!agent) throw notFound(target);
  return agent;
}

/**
 * Deletes an agent or a bot with its group memberships, personal access tokens and bearer tokens:
 * nothing it held authenticates afterwards.
 */
export async function deleteAgent(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  target: { id: string; type: AgentKind },
): Promise<Agent> {
  return db.transaction().execute(async (trx) => {
    const agent = await lockAgent(trx, organizationId, target);
    await trx
      .deleteFrom('issued_tokens')
      .where('organization_id', '=', organizationId)
      .where('entity_type', '=', target.type)
      .where('entity_id', '=', target.id)
      .execute();
    await trx
      .deleteFrom('agents')
      .where('organization_id', '=', organizationId)
      .where('id', '=', target.id)
      .execute();
    return agent;
  });
}

export interface AgentStateChange {
  suspended?: boolean;
  awaitingApproval?: boolean;
}

/**
 * Suspends, unsuspends or approves an agent. `changed` is false when the agent already was in
 * that state (the caller announces nothing then).
 */
export async function setAgentState(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  agentId: string,
  state: AgentStateChange,
): Promise<{ agent: Agent; changed: boolean }> {
  return db.transaction().execute(async (trx) => {
    const agent = await lockAgent(trx, organizationId, { id: agentId, type: 'agent' });
    const changed =
      (state.suspended !== undefined && state.suspended !== agent.suspended) ||
      (state.awaitingApproval !== undefined && state.awaitingApproval !== agent.awaitingApproval);
    if (!changed) return { agent, changed };
    await trx
      .updateTable('agents')
      .set({
        ...(state.suspended === undefined ? {} : { suspended: state.suspended }),
        ...(state.awaitingApproval === undefined
          ? {}
          : { awaiting_approval: state.awaitingApproval }),
      })
      .where('organization_id', '=', organizationId)
      .where('id', '=', agentId)
      .execute();
    return { agent: { ...agent, ...state }, changed };
  });
}

/** A new bot secret; the old one stops issuing tokens (tokens already issued live on). */
export async function resetBotSecret(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  botId: string,
): Promise<{ bot: Agent; secret: string }> {
  const secret = newSecretToken();
  return db.transaction().execute(async (trx) => {
    const bot = await lockAgent(trx, organizationId, { id: botId, type: 'bot' });
    await trx
      .updateTable('agents')
      .set({ secret_hash: hashSecret(secret) })
      .where('organization_id', '=', organizationId)
      .where('id', '=', botId)
      .execute();
    return { bot, secret };
  });
}

function notFound(target: { id: string; type: AgentKind }): AccountsError {
  const kind = target.type === 'bot' ? 'Bot' : 'Agent';
  return new AccountsError('not_found', `${kind} ${target.id} does not exist`);
}
