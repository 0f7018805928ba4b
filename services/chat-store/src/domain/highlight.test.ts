import type { ChatEvent } from '@threadline/protocol';
import { describe, expect, it } from 'vitest';
import { highlightEvents } from './highlight.ts';

const event = (id: string, text: string): ChatEvent => ({
  id,
  created_at: '2025-11-25T10:00:00.000000Z',
  type: 'message',
  text,
  visibility: 'all',
});

describe('highlights', () => {
  it('marks whole query words, case-insensitively, in the events that have them', () => {
    expect(
      highlightEvents(
        [event('1', 'My Refund is late'), event('2', 'refunded? no'), event('3', 'hello')],
        'refund late',
        { pre: '<em>', post: '</em>' },
      ),
    ).toEqual([
      {
        event_id: '1',
        type: 'message',
        field: 'text',
        highlight: 'My <em>Refund</em> is <em>late</em>',
      },
    ]);
  });

  it('uses the given tags and ignores a query without words', () => {
    expect(highlightEvents([event('1', 'a+b')], 'b', { pre: '[', post: ']' })[0]?.highlight).toBe(
      'a+[b]',
    );
    expect(highlightEvents([event('1', 'a')], '***', { pre: '[', post: ']' })).toEqual([]);
  });
});
