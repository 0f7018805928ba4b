import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from './nesting.ts';

function nested(depth: number, open: string, close: string): unknown {
  return JSON.parse(`${open.repeat(depth)}1${close.repeat(depth)}`);
}

describe('nestsDeeperThan', () => {
  it('counts objects and arrays, leaves and empty containers add nothing', () => {
    expect(nestsDeeperThan(1, 0)).toBe(false);
    expect(nestsDeeperThan({}, 0)).toBe(true);
    expect(nestsDeeperThan({ a: [1, { b: null }] }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: [1, { b: {} }] }, 3)).toBe(true);
    expect(nestsDeeperThan(nested(64, '[', ']'), 64)).toBe(false);
    expect(nestsDeeperThan(nested(65, '{"a":', '}'), 64)).toBe(true);
  });

  // Found by the hostile-input fuzz test: 5,000 levels of custom event content passed the schema
  // and overflowed the stack where the command was encoded, answered `internal`.
  it('answers for a million levels without overflowing the stack', () => {
    expect(nestsDeeperThan(nested(200_000, '[', ']'), 64)).toBe(true);
    expect(nestsDeeperThan(nested(100_000, '{"a":', '}'), 64)).toBe(true);
  });

  it('looks at every branch, not only the first', () => {
    const wide = Array.from({ length: 1_000 }, () => [1]);
    wide.push(nested(70, '[', ']') as number[]);
    expect(nestsDeeperThan(wide, 64)).toBe(true);
  });
});
