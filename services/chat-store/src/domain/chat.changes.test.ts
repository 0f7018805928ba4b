import type { ChatEvent, Properties } from '@threadline/protocol';
import { describe, expect, it } from 'vitest';
import {
  changeEvent,
  changeThread,
  mergeProperties,
  presentNames,
  removeProperties,
  withSeen,
} from './chat.changes.ts';
import type { ThreadSummaryText } from './chat.types.ts';

const at = '2025-11-25T10:00:00.000000Z';

describe('chat changes', () => {
  it('merges properties per namespace and removes names, dropping emptied namespaces', () => {
    const base = { rating: { score: 1, comment: 'ok' }, source: { client_id: 'c' } };
    expect(mergeProperties(base, { rating: { score: 0 }, extra: { x: true } })).toEqual({
      rating: { score: 0, comment: 'ok' },
      source: { client_id: 'c' },
      extra: { x: true },
    });
    expect(removeProperties(base, { rating: ['comment'], source: ['client_id'] })).toEqual({
      rating: { score: 1 },
    });
    expect(presentNames(base, { rating: ['score', 'score', 'nope'], none: ['a'] })).toEqual({
      rating: ['score'],
    });
  });

  it('moves seen state forward only', () => {
    const users = [
      {
        id: 'a',
        type: 'agent' as const,
        present: true,
        events_seen_up_to: '2025-11-25T10:00:00.000000Z',
      },
    ];
    expect(withSeen(users, 'a', '2025-11-25T09:00:00.000000Z')).toEqual(users);
    expect(withSeen(users, 'a', '2025-11-25T11:00:00.000000Z')[0]?.events_seen_up_to).toBe(
      '2025-11-25T11:00:00.000000Z',
    );
  });

  it('changes events: properties, deletion, and the toggled users of a postback button', () => {
    const event: ChatEvent = {
      id: 'T_1',
      created_at: at,
      type: 'rich_message',
      visibility: 'all',
      elements: [{ buttons: [{ postback_id: 'yes', user_ids: ['u1'] }, { postback_id: 'no' }] }],
    };
    const ref = { thread_id: 'T', event_id: 'T_1' };
    const toggled = changeEvent(event, {
      type: 'postback_sent',
      occurredAt: at,
      data: { ...ref, user_id: 'u2', postback: { id: 'yes', toggled: true } },
    });
    expect(toggled.elements).toEqual([
      { buttons: [{ postback_id: 'yes', user_ids: ['u1', 'u2'] }, { postback_id: 'no' }] },
    ]);
    const withProperties = changeEvent(event, {
      type: 'event_properties_updated',
      occurredAt: at,
      data: { ...ref, properties: { a: { b: 1 } } },
    });
    expect(withProperties.properties).toEqual({ a: { b: 1 } });
    expect(changeEvent(event, { type: 'event_deleted', occurredAt: at, data: ref })).toMatchObject({
      id: 'T_1',
      deleted: true,
    });
  });

  it('tags a thread once and sets its summary', () => {
    const thread: { properties: Properties; tags: string[]; summary?: ThreadSummaryText } = {
      properties: {},
      tags: ['a'],
    };
    const tag = (type: 'thread_tagged' | 'thread_untagged', name: string) =>
      changeThread(thread, { type, occurredAt: at, data: { thread_id: 'T', tag: name } });
    expect(tag('thread_tagged', 'a').tags).toEqual(['a']);
    expect(tag('thread_tagged', 'b').tags).toEqual(['a', 'b']);
    expect(tag('thread_untagged', 'a').tags).toEqual([]);
    const summary = { status: 'ok' as const, text: '• x', updated_at: at };
    expect(
      changeThread(thread, {
        type: 'thread_summary_set',
        occurredAt: at,
        data: { thread_id: 'T', summary },
      }).summary,
    ).toEqual(summary);
  });
});
