import type { Kysely, Transaction } from 'kysely';
import {
  type AutoAccessRule,
  type LinkedRule,
  linkRules,
  placeBefore,
} from './auto-access-order.ts';
import type { AccountsDatabase } from './database.ts';
import { AccountsError } from './errors.ts';
import { requireGroups } from './memberships.ts';
import { newHexId } from './secrets.ts';
import { isUuid } from './validation.ts';

/** Threadline's cap on auto access rules per organization. */
export const maxAutoAccessesPerOrganization = 100;

/** The list before and after a change, for the `auto_accesses_updated` push. */
export interface AutoAccessListChange {
  before: LinkedRule[];
  after: LinkedRule[];
}

/** The organization's rules in list order, linked by `next_id`. */
export async function listAutoAccesses(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
): Promise<LinkedRule[]> {
  if (!isUuid(organizationId)) return [];
  return linkRules(await rulesInOrder(db, organizationId));
}

/** Adds a rule before `nextId` (at the end without one). */
export async function addAutoAccess(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  input: Omit<AutoAccessRule, 'id' | 'description'> & {
    description?: string | undefined;
    nextId?: string | undefined;
  },
): Promise<AutoAccessListChange & { id: string }> {
  const id = newHexId();
  return db.transaction().execute(async (trx) => {
    const rules = await lockRules(trx, organizationId);
    if (rules.length >= maxAutoAccessesPerOrganization) {
      throw new AccountsError(
        'limit_reached',
        `At most ${maxAutoAccessesPerOrganization} auto access rules`,
      );
    }
    await requireGroups(trx, organizationId, input.access.groups);
    const order = reorder(
      rules.map((rule) => rule.id),
      id,
      input.nextId ?? '',
    );
    await trx
      .insertInto('auto_accesses')
      .values({
        organization_id: organizationId,
        id,
        position: order.indexOf(id),
        description: input.description ?? '',
        access: JSON.stringify(input.access),
        conditions: JSON.stringify(input.conditions),
      })
      .execute();
    await writeOrder(trx, organizationId, rules, order, id);
    return {
      id,
      before: linkRules(rules),
      after: linkRules(await rulesInOrder(trx, organizationId)),
    };
  });
}

/** Changes a rule's fields and, with `nextId`, its place ("" = the end). */
export async function updateAutoAccess(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  id: string,
  changes: Partial<Omit<AutoAccessRule, 'id'>> & { nextId?: string | undefined },
): Promise<AutoAccessListChange> {
  return db.transaction().execute(async (trx) => {
    const rules = await lockRules(trx, organizationId);
    if (!rules.some((rule) => rule.id === id)) throw ruleNotFound(id);
    if (changes.access) await requireGroups(trx, organizationId, changes.access.groups);
    const set = {
      ...(changes.description === undefined ? {} : { description: changes.description }),
      ...(changes.access ? { access: JSON.stringify(changes.access) } : {}),
      ...(changes.conditions ? { conditions: JSON.stringify(changes.conditions) } : {}),
    };
    if (Object.keys(set).length > 0) {
      await trx
        .updateTable('auto_accesses')
        .set(set)
        .where('organization_id', '=', organizationId)
        .where('id', '=', id)
        .execute();
    }
    if (changes.nextId !== undefined) {
      if (changes.nextId === id)
        throw new AccountsError('validation', 'A rule cannot precede itself');
      const order = reorder(
        rules.map((rule) => rule.id),
        id,
        changes.nextId,
      );
      await writeOrder(trx, organizationId, rules, order);
    }
    return { before: linkRules(rules), after: linkRules(await rulesInOrder(trx, organizationId)) };
  });
}

export async function deleteAutoAccess(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  id: string,
): Promise<AutoAccessListChange> {
  return db.transaction().execute(async (trx) => {
    const rules = await lockRules(trx, organizationId);
    if (!rules.some((rule) => rule.id === id)) throw ruleNotFound(id);
    await trx
      .deleteFrom('auto_accesses')
      .where('organization_id', '=', organizationId)
      .where('id', '=', id)
      .execute();
    const remaining = rules.filter((rule) => rule.id !== id);
    await writeOrder(
      trx,
      organizationId,
      remaining,
      remaining.map((rule) => rule.id),
    );
    return { before: linkRules(rules), after: linkRules(await rulesInOrder(trx, organizationId)) };
  });
}

/** Changes to one organization's list are serialized on its organization row. */
async function lockRules(
  trx: Transaction<AccountsDatabase>,
  organizationId: string,
): Promise<AutoAccessRule[]> {
  const organization = isUuid(organizationId)
    ? await trx
        .selectFrom('organizations')
        .select('id')
        .where('id', '=', organizationId)
        .forUpdate()
        .executeTakeFirst()
    : undefined;
  if (!organization)
    throw new AccountsError('not_found', `Organization ${organizationId} does not exist`);
  return rulesInOrder(trx, organizationId);
}

async function rulesInOrder(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
): Promise<AutoAccessRule[]> {
  const rows = await db
    .selectFrom('auto_accesses')
    .select(['id', 'description', 'access', 'conditions'])
    .where('organization_id', '=', organizationId)
    .orderBy('position')
    .orderBy('created_at')
    .execute();
  return rows.map((row) => ({ ...row }));
}

function reorder(order: string[], id: string, nextId: string): string[] {
  if (nextId !== '' && !order.includes(nextId)) throw ruleNotFound(nextId);
  return placeBefore(order, id, nextId);
}

/** Rewrites the positions that changed (`skip`: a rule just inserted at its place). */
async function writeOrder(
  trx: Transaction<AccountsDatabase>,
  organizationId: string,
  rules: readonly AutoAccessRule[],
  order: readonly string[],
  skip?: string,
): Promise<void> {
  const positions = await trx
    .selectFrom('auto_accesses')
    .select(['id', 'position'])
    .where('organization_id', '=', organizationId)
    .execute();
  const current = new Map(positions.map((row) => [row.id, row.position]));
  for (const [position, id] of order.entries()) {
    if (id === skip || current.get(id) === position || !rules.some((rule) => rule.id === id))
      continue;
    await trx
      .updateTable('auto_accesses')
      .set({ position })
      .where('organization_id', '=', organizationId)
      .where('id', '=', id)
      .execute();
  }
}

function ruleNotFound(id: string): AccountsError {
  return new AccountsError('not_found', `Auto access ${id} does not exist`);
}
