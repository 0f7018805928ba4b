import { describe, expect, it } from 'vitest';
import { canonicalDump, canonicalValue, dumpDifferences } from './canonical-dump.ts';

const key = ['organization_id', 'id'];

describe('canonicalDump', () => {
  it('gives the same lines and digest whatever order rows and keys come in', () => {
    const first = canonicalDump([
      {
        table: 'chats',
        key,
        rows: [
          { organization_id: 'o', id: 'B', properties: { b: { y: 1, x: 2 }, a: {} } },
          { organization_id: 'o', id: 'A', properties: {} },
        ],
      },
    ]);
    const second = canonicalDump([
      {
        table: 'chats',
        key,
        rows: [
          { id: 'A', properties: {}, organization_id: 'o' },
          { properties: { a: {}, b: { x: 2, y: 1 } }, id: 'B', organization_id: 'o' },
        ],
      },
    ]);

    expect(second).toEqual(first);
    expect(first.lines).toEqual([
      'chats {"id":"A","organization_id":"o","properties":{}}',
      'chats {"id":"B","organization_id":"o","properties":{"a":{},"b":{"x":2,"y":1}}}',
    ]);
    expect(first.counts).toEqual({ chats: 2 });
  });

  it('orders numeric keys as numbers and text by code unit, not by locale', () => {
    const dump = canonicalDump([
      {
        table: 'threads',
        key: ['chat_id', 'thread_order'],
        rows: [
          { chat_id: 'a', thread_order: 10 },
          { chat_id: 'B', thread_order: 2 },
          { chat_id: 'a', thread_order: 9 },
        ],
      },
    ]);
    expect(dump.lines).toEqual([
      'threads {"chat_id":"B","thread_order":2}',
      'threads {"chat_id":"a","thread_order":9}',
      'threads {"chat_id":"a","thread_order":10}',
    ]);
  });

  it('changes its digest when any value changes, array order included', () => {
    const dump = (userIds: string[]) =>
      canonicalDump([{ table: 'threads', key: ['id'], rows: [{ id: 'T', user_ids: userIds }] }]);
    expect(dump(['a', 'b']).digest).toBe(dump(['a', 'b']).digest);
    expect(dump(['b', 'a']).digest).not.toBe(dump(['a', 'b']).digest);
  });

  it('keeps tables apart in counts and lines', () => {
    const dump = canonicalDump([
      { table: 'chats', key, rows: [{ organization_id: 'o', id: 'A' }] },
      { table: 'events', key, rows: [] },
    ]);
    expect(dump.counts).toEqual({ chats: 1, events: 0 });
    expect(dump.lines).toHaveLength(1);
  });
});

describe('canonicalValue', () => {
  it('writes dates, bigints and bytes as text and drops undefined members', () => {
    expect(
      canonicalValue({
        at: new Date('2026-12-06T00:00:00.000Z'),
        big: 12n,
        bytes: new Uint8Array([1, 255]),
        gone: undefined,
        none: null,
      }),
    ).toEqual({ at: '2026-12-06T00:00:00.000Z', big: '12', bytes: '01ff', none: null });
  });
});

describe('dumpDifferences', () => {
  it('lists the lines only one side has', () => {
    const before = canonicalDump([
      { table: 'chats', key, rows: [{ organization_id: 'o', id: 'A', version: 1 }] },
    ]);
    const after = canonicalDump([
      {
        table: 'chats',
        key,
        rows: [
          { organization_id: 'o', id: 'A', version: 2 },
          { organization_id: 'o', id: 'B', version: 1 },
        ],
      },
    ]);
    expect(dumpDifferences(before, after)).toEqual({
      onlyBefore: ['chats {"id":"A","organization_id":"o","version":1}'],
      onlyAfter: [
        'chats {"id":"A","organization_id":"o","version":2}',
        'chats {"id":"B","organization_id":"o","version":1}',
      ],
    });
    expect(dumpDifferences(before, before)).toEqual({ onlyBefore: [], onlyAfter: [] });
  });
});
