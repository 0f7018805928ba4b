import { describe, expect, it } from 'vitest';
import { chatView } from '../shared/timeline.ts';
import { counted, newsOf } from './attention.ts';

const eve = { id: 'eve', type: 'customer', name: 'Eve' };
const chats = { C1: chatView({ id: 'C1', users: [eve, { id: 'ann', type: 'agent' }] }) };
const event = (fields: Record<string, unknown>) => ({
  chat_id: 'C1',
  event: { id: 'e', created_at: '2026-12-06T10:00:00Z', type: 'message', ...fields },
});

describe('news for a chat the agent does not have open', () => {
  it('announces a new chat and what others write or send, with their names', () => {
    const incoming = { chat: { id: 'C2', users: [{ ...eve, name: 'Carla' }] } };
    expect(newsOf('incoming_chat', incoming, 'ann', chats)).toEqual({
      chatId: 'C2',
      text: 'New chat from Carla',
    });
    expect(newsOf('incoming_event', event({ author_id: 'eve', text: 'Hi' }), 'ann', chats)).toEqual(
      { chatId: 'C1', text: 'Eve wrote: Hi' },
    );
    const file = event({ author_id: 'eve', type: 'file', url: '/f/1', name: 'a.png' });
    expect(newsOf('incoming_event', file, 'ann', chats)?.text).toBe('Eve sent a file: a.png');
  });

  it('is silent about the agent’s own messages, system messages and other pushes', () => {
    expect(newsOf('incoming_event', event({ author_id: 'ann', text: 'x' }), 'ann', chats)).toBe(
      undefined,
    );
    const system = event({ author_id: 'system', type: 'system_message', text: 'x' });
    expect(newsOf('incoming_event', system, 'ann', chats)).toBeUndefined();
    expect(newsOf('chat_deactivated', { chat_id: 'C1' }, 'ann', chats)).toBeUndefined();
  });

  it('counts per chat', () => {
    expect(counted(counted(counted({}, 'C1'), 'C2'), 'C1')).toEqual({ C1: 2, C2: 1 });
  });
});
