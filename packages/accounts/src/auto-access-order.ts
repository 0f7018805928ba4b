/**
 * Auto access rules form a list LiveChat links with `next_id` (the id of the following rule, ""
 * for the last). Threadline stores a position instead; these pure functions move between the two
 * and work out what an `auto_accesses_updated` push says about a change.
 */

export interface AutoAccessRule {
  id: string;
  description: string;
  access: { groups: number[] };
  conditions: Record<string, unknown>;
}

export type LinkedRule = AutoAccessRule & { next_id: string };

/** Rules in list order, each naming the one after it. */
export function linkRules(rules: readonly AutoAccessRule[]): LinkedRule[] {
  return rules.map((rule, index) => ({ ...rule, next_id: rules[index + 1]?.id ?? '' }));
}

/**
 * The order with `id` placed right before `nextId` ("" = at the end), taken out of its old place
 * first. `nextId` must be another rule of the list.
 */
export function placeBefore(order: readonly string[], id: string, nextId: string): string[] {
  const rest = order.filter((item) => item !== id);
  const index = nextId === '' ? rest.length : rest.indexOf(nextId);
  if (index < 0) throw new RangeError(`${nextId} is not in the list`);
  return [...rest.slice(0, index), id, ...rest.slice(index)];
}

export type AutoAccessChange =
  | (Partial<LinkedRule> & { id: string; status: 'updated' })
  | (LinkedRule & { status: 'added' })
  | { id: string; status: 'deleted' };

/**
 * The `auto_accesses_updated` payload for one change: the added rule in full, the changed rule's
 * changed fields (`changedFields`), every other rule whose `next_id` moved, and removed rules.
 */
export function autoAccessChanges(
  before: readonly LinkedRule[],
  after: readonly LinkedRule[],
  changed?: { id: string; fields: Partial<AutoAccessRule> },
): AutoAccessChange[] {
  const previous = new Map(before.map((rule) => [rule.id, rule]));
  const current = new Set(after.map((rule) => rule.id));
  const changes: AutoAccessChange[] = [];
  for (const rule of after) {
    const old = previous.get(rule.id);
    if (!old) {
      changes.push({ ...rule, status: 'added' });
      continue;
    }
    const moved = old.next_id !== rule.next_id;
    if (rule.id === changed?.id) {
      changes.push({
        id: rule.id,
        ...changed.fields,
        ...(moved ? { next_id: rule.next_id } : {}),
        status: 'updated',
      });
    } else if (moved) {
      changes.push({ id: rule.id, next_id: rule.next_id, status: 'updated' });
    }
  }
  for (const rule of before) {
    if (!current.has(rule.id)) changes.push({ id: rule.id, status: 'deleted' });
  }
  return changes;
}
