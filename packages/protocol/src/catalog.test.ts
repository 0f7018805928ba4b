import { describe, expect, it } from 'vitest';
import { findMethod, parsePayload } from './catalog.ts';
import { ProtocolError } from './errors.ts';

describe('findMethod', () => {
  it('finds a chat method on both chat APIs and names its owner', () => {
    expect(findMethod('agent', 'send_event')).toMatchObject({
      name: 'send_event',
      owner: 'chat-store',
    });
    expect(findMethod('customer', 'get_chat')).toMatchObject({ owner: 'chat-store-query' });
  });

  it('does not offer agent-only or configuration methods on the customer API', () => {
    expect(findMethod('customer', 'set_routing_status')).toBeUndefined();
    expect(findMethod('customer', 'register_webhook')).toBeUndefined();
  });

  it('does not mistake inherited object keys for methods', () => {
    expect(findMethod('agent', 'constructor')).toBeUndefined();
    expect(findMethod('agent', '__proto__')).toBeUndefined();
  });
});

describe('parsePayload', () => {
  it('accepts a message event and keeps its fields', () => {
    const payload = parsePayload('send_event', {
      chat_id: 'PJ0MRSHTDG',
      event: { type: 'message', text: 'hi' },
    });
    expect(payload.event).toEqual({ type: 'message', text: 'hi' });
  });

  it('rejects a wrong field type with a validation error naming the field', () => {
    const attempt = () =>
      parsePayload('send_event', { chat_id: 7, event: { type: 'message', text: 'hi' } });
    expect(attempt).toThrow(ProtocolError);
    expect(attempt).toThrow(/chat_id/);
    try {
      attempt();
    } catch (error) {
      expect((error as ProtocolError).type).toBe('validation');
    }
  });

  it('rejects a message longer than 16 KB', () => {
    const text = 'x'.repeat(16_385);
    expect(() =>
      parsePayload('send_event', { chat_id: 'C', event: { type: 'message', text } }),
    ).toThrow(ProtocolError);
  });

  it('rejects an unknown event type', () => {
    expect(() =>
      parsePayload('send_event', { chat_id: 'C', event: { type: 'sticker', text: 'x' } }),
    ).toThrow(/event/);
  });

  it('treats a missing payload as an empty object', () => {
    expect(parsePayload('list_chats', undefined)).toEqual({});
  });
});
