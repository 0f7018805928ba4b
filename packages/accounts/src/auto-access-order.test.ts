import { describe, expect, it } from 'vitest';
import {
  type AutoAccessRule,
  autoAccessChanges,
  linkRules,
  placeBefore,
} from './auto-access-order.ts';

function aRule(id: string, overrides: Partial<AutoAccessRule> = {}): AutoAccessRule {
  return { id, description: '', access: { groups: [0] }, conditions: { url: {} }, ...overrides };
}

describe('linkRules', () => {
  it('points each rule at the next and the last at ""', () => {
    expect(linkRules([aRule('A'), aRule('B')]).map((rule) => [rule.id, rule.next_id])).toEqual([
      ['A', 'B'],
      ['B', ''],
    ]);
  });
});

describe('placeBefore', () => {
  it("moves C before B, as in LiveChat's example A -> C -> B -> D", () => {
    expect(placeBefore(['A', 'B', 'C', 'D'], 'C', 'B')).toEqual(['A', 'C', 'B', 'D']);
  });

  it('puts a rule at the end for "" and inserts a new one', () => {
    expect(placeBefore(['A', 'B', 'C'], 'A', '')).toEqual(['B', 'C', 'A']);
    expect(placeBefore(['A', 'B'], 'N', 'A')).toEqual(['N', 'A', 'B']);
  });

  it('refuses a next id that is not in the list', () => {
    expect(() => placeBefore(['A'], 'B', 'Z')).toThrow(RangeError);
  });
});

describe('autoAccessChanges', () => {
  it('announces an added rule in full and the rule whose next_id now points at it', () => {
    const before = linkRules([aRule('A')]);
    const after = linkRules([aRule('A'), aRule('B')]);
    expect(autoAccessChanges(before, after)).toEqual([
      { id: 'A', next_id: 'B', status: 'updated' },
      { ...aRule('B'), next_id: '', status: 'added' },
    ]);
  });

  it('announces the changed fields of an updated rule and its new place', () => {
    const before = linkRules([aRule('A'), aRule('B')]);
    const after = linkRules([aRule('B', { description: 'moved' }), aRule('A')]);
    expect(autoAccessChanges(before, after, { id: 'B', fields: { description: 'moved' } })).toEqual(
      [
        { id: 'B', description: 'moved', next_id: 'A', status: 'updated' },
        { id: 'A', next_id: '', status: 'updated' },
      ],
    );
  });

  it('announces a deleted rule and the neighbour that skipped it', () => {
    const before = linkRules([aRule('A'), aRule('B')]);
    const after = linkRules([aRule('A')]);
    expect(autoAccessChanges(before, after)).toEqual([
      { id: 'A', next_id: '', status: 'updated' },
      { id: 'B', status: 'deleted' },
    ]);
  });
});
