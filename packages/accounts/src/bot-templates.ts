import {
  type ExpressionBuilder,
  type Kysely,
  type Selectable,
  sql,
  type Transaction,
} from 'kysely';
import { z } from 'zod';
import { deleteAgent, updateAgent } from './agent-changes.ts';
import { type Agent, createBot, findAgent, requireClientOf } from './agents.ts';
import type { AccountsDatabase, BotTemplateTable } from './database.ts';
import { AccountsError } from './errors.ts';
import { hashSecret, newHexId, newSecretToken } from './secrets.ts';
import {
  isUuid,
  maxChatsCountSchema,
  nameSchema,
  parseInput,
  prioritySchema,
} from './validation.ts';

/**
 * Bot templates: the bot an application (an OAuth client) wants on every license it is installed
 * on, with the template's id and secret. Threadline has no marketplace: a client belongs to one
 * organization, which is the only place it is installed. So "existing installations"
 * (`affect_existing_installations`) means this organization: with it, the template's bot here is
 * created, updated, deleted or given the new secret along with the template; without it, only
 * the template changes (it would shape future installations, and there are none).
 */

/** LiveChat: "One Client ID can register up to five bot templates." */
export const maxBotTemplatesPerClient = 5;

export interface BotTemplate {
  id: string;
  organizationId: string;
  ownerClientId: string;
  name: string;
  avatar: string;
  maxChatsCount: number;
  defaultGroupPriority: string;
  jobTitle: string;
  createdAt: Date;
}

const settings = {
  avatar: z.string().max(2048),
  maxChatsCount: maxChatsCountSchema,
  defaultGroupPriority: prioritySchema,
  jobTitle: z.string().max(255),
};
const templateInput = z.object({
  name: nameSchema,
  avatar: settings.avatar.default(''),
  maxChatsCount: settings.maxChatsCount.default(6),
  defaultGroupPriority: settings.defaultGroupPriority.default('normal'),
  jobTitle: settings.jobTitle.default(''),
});
const templateChanges = z.object({
  name: nameSchema.optional(),
  avatar: settings.avatar.optional(),
  maxChatsCount: settings.maxChatsCount.optional(),
  defaultGroupPriority: settings.defaultGroupPriority.optional(),
  jobTitle: settings.jobTitle.optional(),
});

export type BotTemplateInput = z.input<typeof templateInput>;
export type BotTemplateChanges = z.input<typeof templateChanges>;

/** A template of one client: the key of every change (another client's is `not_found`). */
export interface BotTemplateRef {
  ownerClientId: string;
  id: string;
}

type Db = Kysely<AccountsDatabase> | Transaction<AccountsDatabase>;

/** `create_bot_template`: the template's id, its secret (shown once), and its bot here if asked. */
export async function createBotTemplate(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  ownerClientId: string,
  input: BotTemplateInput,
  options: { installHere: boolean },
): Promise<{ id: string; secret: string; bot: Agent | undefined }> {
  const parsed = parseInput(templateInput, input);
  await requireClientOf(db, organizationId, ownerClientId);
  const id = newHexId();
  const secret = newSecretToken();
  const insertTemplate = async (trx: Transaction<AccountsDatabase>) => {
    await requireRoomFor(trx, organizationId, ownerClientId);
    await trx
      .insertInto('bot_templates')
      .values({
        id,
        organization_id: organizationId,
        owner_client_id: ownerClientId,
        name: parsed.name,
        avatar: parsed.avatar,
        max_chats_count: parsed.maxChatsCount,
        default_group_priority: parsed.defaultGroupPriority,
        job_title: parsed.jobTitle,
        secret_hash: hashSecret(secret),
      })
      .execute();
  };
  if (!options.installHere) {
    await db.transaction().execute(insertTemplate);
    return { id, secret, bot: undefined };
  }
  const { bot } = await createBot(
    db,
    { organizationId, ownerClientId, ...parsed },
    { id, secret, alsoInTransaction: insertTemplate },
  );
  return { id, secret, bot };
}

/** `list_bot_templates`: a client's templates, oldest first. */
export async function listBotTemplates(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  ownerClientId: string,
): Promise<BotTemplate[]> {
  if (!isUuid(organizationId)) return [];
  const rows = await db
    .selectFrom('bot_templates')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('owner_client_id', '=', ownerClientId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toTemplate);
}

/** `update_bot_template`: absent fields stay; the updated bot here too, if asked and it exists. */
export async function updateBotTemplate(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  ref: BotTemplateRef,
  input: BotTemplateChanges,
  options: { installHere: boolean },
): Promise<{ template: BotTemplate; bot: Agent | undefined }> {
  const changes = parseInput(templateChanges, input);
  const columns = {
    name: changes.name,
    avatar: changes.avatar,
    max_chats_count: changes.maxChatsCount,
    default_group_priority: changes.defaultGroupPriority,
    job_title: changes.jobTitle,
  };
  const changed = Object.values(columns).some((value) => value !== undefined);
  const row = changed
    ? await db
        .updateTable('bot_templates')
        .set(columns)
        .where(isTemplate(organizationId, ref))
        .returningAll()
        .executeTakeFirst()
    : await findTemplate(db, organizationId, ref);
  if (!row) throw templateNotFound(ref.id);
  const bot =
    options.installHere && (await templateBot(db, organizationId, ref))
      ? await updateAgent(db, organizationId, { id: ref.id, type: 'bot' }, changes)
      : undefined;
  return { template: toTemplate(row), bot };
}

/** `delete_bot_template`: whether the template's bot here was deleted with it (if asked). */
export async function deleteBotTemplate(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  ref: BotTemplateRef,
  options: { installHere: boolean },
): Promise<{ botDeleted: boolean }> {
  const deleted = await db
    .deleteFrom('bot_templates')
    .where(isTemplate(organizationId, ref))
    .executeTakeFirst();
  if (!deleted.numDeletedRows) throw templateNotFound(ref.id);
  if (!options.installHere || !(await templateBot(db, organizationId, ref))) {
    return { botDeleted: false };
  }
  await deleteAgent(db, organizationId, { id: ref.id, type: 'bot' });
  return { botDeleted: true };
}

/** `reset_bot_template_secret`: a new secret, given to the template's bot here too if asked. */
export async function resetBotTemplateSecret(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  ref: BotTemplateRef,
  options: { installHere: boolean },
): Promise<{ secret: string }> {
  const secret = newSecretToken();
  const secretHash = hashSecret(secret);
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('bot_templates')
      .set({ secret_hash: secretHash })
      .where(isTemplate(organizationId, ref))
      .executeTakeFirst();
    if (!updated.numUpdatedRows) throw templateNotFound(ref.id);
    if (!options.installHere) return;
    await trx
      .updateTable('agents')
      .set({ secret_hash: secretHash })
      .where('organization_id', '=', organizationId)
      .where('id', '=', ref.id)
      .where('type', '=', 'bot')
      .where('owner_client_id', '=', ref.ownerClientId)
      .execute();
  });
  return { secret };
}

async function findTemplate(db: Db, organizationId: string, ref: BotTemplateRef) {
  if (!isUuid(organizationId)) return undefined;
  return db
    .selectFrom('bot_templates')
    .selectAll()
    .where(isTemplate(organizationId, ref))
    .executeTakeFirst();
}

/** The bot made from the template in this organization, if it is still there. */
async function templateBot(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  ref: BotTemplateRef,
): Promise<Agent | undefined> {
  const bot = await findAgent(db, organizationId, ref.id);
  return bot?.type === 'bot' && bot.ownerClientId === ref.ownerClientId ? bot : undefined;
}

async function requireRoomFor(db: Db, organizationId: string, ownerClientId: string) {
  const { count } = await db
    .selectFrom('bot_templates')
    .select(sql<number>`count(*)`.as('count'))
    .where('organization_id', '=', organizationId)
    .where('owner_client_id', '=', ownerClientId)
    .executeTakeFirstOrThrow();
  if (Number(count) >= maxBotTemplatesPerClient) {
    throw new AccountsError(
      'limit_reached',
      `A client has at most ${maxBotTemplatesPerClient} bot templates`,
    );
  }
}

/** The one template `ref` names in the organization. */
function isTemplate(organizationId: string, ref: BotTemplateRef) {
  return (eb: ExpressionBuilder<AccountsDatabase, 'bot_templates'>) =>
    eb.and({ organization_id: organizationId, owner_client_id: ref.ownerClientId, id: ref.id });
}

function templateNotFound(id: string): AccountsError {
  return new AccountsError('not_found', `Bot template ${id} does not exist`);
}

function toTemplate(row: Selectable<BotTemplateTable>): BotTemplate {
  return {
    id: row.id,
    organizationId: row.organization_id,
    ownerClientId: row.owner_client_id,
    name: row.name,
    avatar: row.avatar,
    maxChatsCount: row.max_chats_count,
    defaultGroupPriority: row.default_group_priority,
    jobTitle: row.job_title,
    createdAt: row.created_at,
  };
}
