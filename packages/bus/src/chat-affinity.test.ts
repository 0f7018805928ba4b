import { describe, expect, it } from 'vitest';
import {
  chatIdOfPayload,
  chatPartition,
  chatStoreExecuteSubject,
  chatStorePartitions,
} from './chat-affinity.ts';
import { createSubjects } from './subjects.ts';

describe('chat-affine routing of chat-store commands', () => {
  const subjects = createSubjects('taff');

  it('sends every command about one chat to the same partition', () => {
    const payloads = [
      { chat_id: 'PJ0MRSHTDG', event: { type: 'message', text: 'hi' } },
      { id: 'PJ0MRSHTDG' },
      { chat: { id: 'PJ0MRSHTDG' } },
    ];
    const subject = subjects.chatStorePartition(chatPartition('org', 'PJ0MRSHTDG'));
    for (const payload of payloads)
      expect(chatStoreExecuteSubject(subjects, 'org', payload)).toBe(subject);
  });

  it('sends a new chat (no chat id yet) to the shared subject', () => {
    expect(chatIdOfPayload({ chat: { thread: {} } })).toBeUndefined();
    expect(chatStoreExecuteSubject(subjects, 'org', { chat: {} })).toBe(subjects.chatStoreExecute);
    expect(chatStoreExecuteSubject(subjects, undefined, { chat_id: 'C' })).toBe(
      subjects.chatStoreExecute,
    );
  });

  it('spreads chats over the partitions', () => {
    const used = new Set<number>();
    for (let index = 0; index < 2_000; index++) used.add(chatPartition('org', `CHAT${index}`));
    expect(used.size).toBe(chatStorePartitions);
  });

  it('keeps organizations apart: the key is the organization and the chat', () => {
    const partitions = new Set(
      Array.from({ length: 50 }, (_, index) => chatPartition(`org${index}`, 'SAME')),
    );
    expect(partitions.size).toBeGreaterThan(1);
  });
});
