import { ChatEventBatch } from '@threadline/contracts';
import { describe, expect, it } from 'vitest';
import { foldChatLog } from './chat-log.ts';

const batch = (chatId: string, ...events: [string, Record<string, unknown>][]) =>
  ChatEventBatch.fromPartial({
    organizationId: 'org',
    chatId,
    events: events.map(([type, data]) => ({
      type,
      occurredAt: '',
      dataJson: JSON.stringify(data),
    })),
  });
const started = (chatId: string) =>
  batch(
    chatId,
    ['chat_created', {}],
    ['thread_opened', { thread_id: `${chatId}-t`, active: true }],
  );
const assigned = (chatId: string, agentId: string) =>
  batch(chatId, ['user_added', { user: { id: agentId, type: 'agent' }, reason: 'assigned' }]);

describe('foldChatLog', () => {
  it('counts assignments per thread and the agents present in it', () => {
    const log = foldChatLog([started('c1'), assigned('c1', 'a'), assigned('c1', 'a')]);
    const thread = log.threads.get('c1/c1-t');
    expect(thread?.assignments).toBe(2);
    expect([...(thread?.agents ?? [])]).toEqual(['a']);
    expect(log.created.get('c1')).toBe(1);
  });

  it('tracks the highest load an agent reached, freed by closing and removal', () => {
    const log = foldChatLog([
      started('c1'),
      started('c2'),
      started('c3'),
      assigned('c1', 'a'),
      assigned('c2', 'a'),
      batch('c1', ['thread_closed', { thread_id: 'c1-t' }]),
      batch('c2', ['user_removed', { user_id: 'a', reason: 'manual' }]),
      assigned('c3', 'a'),
    ]);
    expect(log.maxLoad.get('a')).toBe(2);
    expect(log.load.get('a')).toBe(1);
    expect(log.threads.get('c1/c1-t')?.active).toBe(false);
  });

  it('ignores customers and agents added to a chat without an active thread', () => {
    const log = foldChatLog([
      started('c1'),
      batch('c1', ['user_added', { user: { id: 'cust', type: 'customer' } }]),
      batch('c1', ['thread_closed', { thread_id: 'c1-t' }]),
      assigned('c1', 'a'),
    ]);
    expect(log.maxLoad.size).toBe(0);
    expect(log.threads.get('c1/c1-t')?.assignments).toBe(0);
  });
});
