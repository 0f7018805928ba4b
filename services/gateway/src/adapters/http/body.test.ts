import { describe, expect, it } from 'vitest';
import { parseBody } from './body.ts';

describe('parseBody', () => {
  it('reads JSON whatever the declared type, and an explicit form', () => {
    expect(parseBody(Buffer.from('{"a":[1]}'), 'text/plain')).toEqual({ a: [1] });
    expect(parseBody(Buffer.from('a=1&b=2'), 'application/x-www-form-urlencoded')).toEqual({
      a: '1',
      b: '2',
    });
    expect(parseBody(Buffer.from('  '), undefined)).toEqual({});
  });

  // Found by the hostile-input fuzz test: 5,000 levels of custom event content passed the
  // schema and overflowed the stack where the command was encoded, answered `internal`.
  it('refuses a body nested deeper than the limit as validation', () => {
    const body = `{"chat_id":"c","event":{"type":"custom","content":{"x":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}}}`;
    expect(() => parseBody(Buffer.from(body), 'application/json')).toThrow(
      expect.objectContaining({ type: 'validation', message: expect.stringContaining('deeper') }),
    );
  });

  it('refuses text Postgres cannot store, in JSON and in a form, as validation', () => {
    for (const [body, type] of [
      ['{"name":"a\\u0000"}', 'application/json'],
      ['name=a%00b', 'application/x-www-form-urlencoded'],
    ]) {
      expect(() => parseBody(Buffer.from(body!), type), body).toThrow(
        expect.objectContaining({ type: 'validation', message: expect.stringContaining('U+0000') }),
      );
    }
  });

  it('refuses a body that is not JSON as validation', () => {
    expect(() => parseBody(Buffer.from([0x7b, 0xff, 0x7d]), 'application/json')).toThrow(
      expect.objectContaining({ type: 'validation' }),
    );
  });
});
