import {
  type GreetingChanges,
  type GreetingDefinition,
  type GreetingEvent,
  type GreetingRules,
  greetingChanges,
  greetingDefinition,
  maxGreetingsPerOrganization,
} from '@threadline/protocol';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { findAgent } from './agents.ts';
import type { AccountsDatabase, GreetingTable } from './database.ts';
import { AccountsError } from './errors.ts';
import { requireGroups } from './memberships.ts';
import { requireOrganization } from './organizations.ts';
import { isUuid, parseInput } from './validation.ts';

/** A greeting campaign as stored: the definition plus who made it and when. */
export interface Greeting {
  id: number;
  organizationId: string;
  name: string;
  groupId: number;
  active: boolean;
  subtype: 'greeting' | 'announcement';
  agentId: string | undefined;
  addon: string | undefined;
  isExitIntent: boolean;
  event: GreetingEvent;
  rules: GreetingRules;
  /** When it may first and last be shown; unbounded where undefined. */
  activeFrom: Date | undefined;
  activeUntil: Date | undefined;
  authorId: string;
  createdAt: Date;
  updatedAt: Date;
}

type Db = Kysely<AccountsDatabase> | Transaction<AccountsDatabase>;

/**
 * Creates a greeting. Its group must exist and its agent, when named, must be an agent or bot of
 * the organization; `limit_reached` past `maxGreetingsPerOrganization`.
 */
export async function createGreeting(
  db: Kysely<AccountsDatabase>,
  input: { organizationId: string; authorId: string; definition: unknown },
): Promise<Greeting> {
  const definition = parseInput(greetingDefinition, input.definition);
  await requireOrganization(db, input.organizationId);
  return db.transaction().execute(async (trx) => {
    await requireReferences(trx, input.organizationId, definition);
    // Serializes creations per organization, so concurrent ones cannot pass the cap together.
    await sql`select pg_advisory_xact_lock(hashtext(${`greetings:${input.organizationId}`}))`.execute(
      trx,
    );
    const { count } = await trx
      .selectFrom('greetings')
      .select(sql<number>`count(*)`.as('count'))
      .where('organization_id', '=', input.organizationId)
      .executeTakeFirstOrThrow();
    if (Number(count) >= maxGreetingsPerOrganization) {
      throw new AccountsError('limit_reached', `At most ${maxGreetingsPerOrganization} greetings`);
    }
    const row = await trx
      .insertInto('greetings')
      .values({
        ...toColumns(definition),
        organization_id: input.organizationId,
        author_id: input.authorId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toGreeting(row);
  });
}

/** Applies the given fields; `not_found` for a greeting of another organization or none. */
export async function updateGreeting(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  id: number,
  changes: unknown,
): Promise<Greeting> {
  const parsed: GreetingChanges = parseInput(greetingChanges, changes);
  return db.transaction().execute(async (trx) => {
    const current = await findGreeting(trx, organizationId, id);
    if (!current) throw greetingNotFound(id);
    // Given fields replace the stored ones; `null` clears one.
    const merged: Record<string, unknown> = { ...greetingDefinitionOf(current) };
    for (const [key, value] of Object.entries(parsed)) {
      if (value === null) delete merged[key];
      else if (value !== undefined) merged[key] = value;
    }
    // The result must hold together too (an active window whose ends came from two requests).
    const definition = parseInput(greetingDefinition, merged);
    await requireReferences(trx, organizationId, definition);
    const row = await trx
      .updateTable('greetings')
      .set({ ...toColumns(definition), updated_at: new Date() })
      .where('organization_id', '=', organizationId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toGreeting(row);
  });
}

/** Deletes a greeting; what customers were shown of it stays counted in their statistics. */
export async function deleteGreeting(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  id: number,
): Promise<void> {
  const result = isUuid(organizationId)
    ? await db
        .deleteFrom('greetings')
        .where('organization_id', '=', organizationId)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!result || Number(result.numDeletedRows) === 0) throw greetingNotFound(id);
}

export async function findGreeting(
  db: Db,
  organizationId: string,
  id: number,
): Promise<Greeting | undefined> {
  if (!isUuid(organizationId)) return undefined;
  const row = await db
    .selectFrom('greetings')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toGreeting(row);
}

/** The organization's greetings, oldest first, optionally of some groups or activity only. */
export async function listGreetings(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  filters: { groupIds?: readonly number[] | undefined; active?: boolean | undefined } = {},
): Promise<Greeting[]> {
  if (!isUuid(organizationId)) return [];
  let query = db.selectFrom('greetings').selectAll().where('organization_id', '=', organizationId);
  if (filters.groupIds && filters.groupIds.length > 0) {
    query = query.where('group_id', 'in', [...filters.groupIds]);
  }
  if (filters.active !== undefined) query = query.where('active', '=', filters.active);
  const rows = await query.orderBy('id').execute();
  return rows.map(toGreeting);
}

async function requireReferences(
  db: Db,
  organizationId: string,
  definition: GreetingDefinition,
): Promise<void> {
  await requireGroups(db, organizationId, [definition.group_id]);
  if (definition.agent_id !== undefined) {
    const agent = await findAgent(db, organizationId, definition.agent_id);
    if (!agent) {
      throw new AccountsError('not_found', `Agent ${definition.agent_id} does not exist`);
    }
  }
}

function greetingNotFound(id: number): AccountsError {
  return new AccountsError('not_found', `Greeting ${id} does not exist`);
}

function toColumns(definition: GreetingDefinition) {
  return {
    name: definition.name,
    group_id: definition.group_id,
    active: definition.active,
    subtype: definition.subtype,
    agent_id: definition.agent_id ?? null,
    addon: definition.addon ?? null,
    is_exit_intent: definition.is_exit_intent,
    event: JSON.stringify(definition.event),
    rules: JSON.stringify(definition.rules),
    active_from: definition.active_from ? new Date(definition.active_from) : null,
    active_until: definition.active_until ? new Date(definition.active_until) : null,
  };
}

/** A stored greeting's definition, in the protocol's names (what `create_greeting` took). */
export function greetingDefinitionOf(greeting: Greeting): GreetingDefinition {
  return {
    name: greeting.name,
    group_id: greeting.groupId,
    active: greeting.active,
    subtype: greeting.subtype,
    ...(greeting.agentId !== undefined ? { agent_id: greeting.agentId } : {}),
    ...(greeting.addon !== undefined ? { addon: greeting.addon } : {}),
    is_exit_intent: greeting.isExitIntent,
    event: greeting.event,
    rules: greeting.rules,
    ...(greeting.activeFrom ? { active_from: rfc3339(greeting.activeFrom) } : {}),
    ...(greeting.activeUntil ? { active_until: rfc3339(greeting.activeUntil) } : {}),
  };
}

/** `2026-01-01T00:00:00Z`: whole seconds, as LiveChat writes its times. */
function rfc3339(moment: Date): string {
  return moment.toISOString().replace(/\.\d+Z$/, 'Z');
}

function toGreeting(row: Selectable<GreetingTable>): Greeting {
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    groupId: row.group_id,
    active: row.active,
    subtype: row.subtype,
    agentId: row.agent_id ?? undefined,
    addon: row.addon ?? undefined,
    isExitIntent: row.is_exit_intent,
    event: row.event as GreetingEvent,
    rules: row.rules as GreetingRules,
    activeFrom: row.active_from ?? undefined,
    activeUntil: row.active_until ?? undefined,
    authorId: row.author_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
