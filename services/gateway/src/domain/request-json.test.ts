import { describe, expect, it } from 'vitest';
import { maxNestingDepth, requestJsonProblem } from './request-json.ts';

function nested(depth: number, open: string, close: string): unknown {
  return JSON.parse(`${open.repeat(depth)}1${close.repeat(depth)}`);
}

describe('requestJsonProblem: nesting', () => {
  it('counts objects and arrays up to the limit', () => {
    expect(requestJsonProblem({ a: [1, { b: null }], c: 'text' })).toBeUndefined();
    expect(requestJsonProblem(nested(maxNestingDepth, '[', ']'))).toBeUndefined();
    expect(requestJsonProblem(nested(maxNestingDepth + 1, '{"a":', '}'))).toMatch(/deeper/);
  });

  // Found by the hostile-input fuzz test: 5,000 levels of custom event content passed the schema
  // and overflowed the stack where the command was encoded, answered `internal`.
  it('answers for hundreds of thousands of levels without overflowing the stack', () => {
    expect(requestJsonProblem(nested(200_000, '[', ']'))).toMatch(/deeper/);
    expect(requestJsonProblem(nested(100_000, '{"a":', '}'))).toMatch(/deeper/);
  });

  it('looks at every branch, not only the first', () => {
    const wide: unknown[] = Array.from({ length: 1_000 }, () => [1]);
    wide.push(nested(maxNestingDepth + 5, '[', ']'));
    expect(requestJsonProblem(wide)).toMatch(/deeper/);
  });
});

// Found probing what the fuzz test's strings reach: a customer's name, a group's or a tag's with
// U+0000 failed the Postgres write, answered `internal`.
describe('requestJsonProblem: text', () => {
  it('refuses U+0000 and lone surrogates in values and keys, wherever they are', () => {
    for (const json of [
      '{"name":"a\\u0000b"}',
      '{"session_fields":[{"k\\u0000":"v"}]}',
      '{"event":{"text":"\\ud800"}}',
      '{"x":["ok","\\udc00x"]}',
    ]) {
      expect(requestJsonProblem(JSON.parse(json)), json).toMatch(/valid Unicode/);
    }
  });

  it('accepts any well-formed text, astral characters and control characters included', () => {
    expect(requestJsonProblem({ text: 'żółw 🐢 \u0001\t\u202e', ключ: ['😀'] })).toBeUndefined();
  });
});
