import { describe, expect, it } from 'vitest';
import { propertyWritesOf } from './property-writes.ts';

const values = { test: { string_property: 'x' } };

describe('propertyWritesOf', () => {
  it('reads the location of each of the six property methods', () => {
    expect(propertyWritesOf('update_chat_properties', { id: 'C', properties: values })).toEqual([
      { location: 'chat', values },
    ]);
    expect(
      propertyWritesOf('update_thread_properties', { chat_id: 'C', properties: values }),
    ).toEqual([{ location: 'thread', values }]);
    expect(
      propertyWritesOf('delete_event_properties', { properties: { test: ['int_property'] } }),
    ).toEqual([{ location: 'event', names: { test: ['int_property'] } }]);
  });

  it('finds chat, thread and event properties in start_chat and resume_chat', () => {
    const chat = {
      properties: values,
      thread: {
        properties: { rating: { score: 1 } },
        events: [
          { type: 'message', text: 'a' },
          { type: 'message', text: 'b', properties: values },
        ],
      },
    };
    for (const method of ['start_chat', 'resume_chat']) {
      expect(propertyWritesOf(method, { chat })).toEqual([
        { location: 'chat', values },
        { location: 'thread', values: { rating: { score: 1 } } },
        { location: 'event', values },
      ]);
    }
    expect(propertyWritesOf('start_chat', {})).toEqual([]);
  });

  it("finds a sent event's properties", () => {
    expect(
      propertyWritesOf('send_event', { event: { type: 'custom', properties: values } }),
    ).toEqual([{ location: 'event', values }]);
    expect(propertyWritesOf('send_event', { event: { type: 'custom' } })).toEqual([]);
  });

  it('names nothing to check for empty changes and other methods', () => {
    expect(propertyWritesOf('update_chat_properties', { properties: {} })).toEqual([]);
    expect(propertyWritesOf('delete_chat_properties', { properties: { test: [] } })).toEqual([]);
    expect(propertyWritesOf('tag_thread', { properties: values })).toEqual([]);
  });
});
