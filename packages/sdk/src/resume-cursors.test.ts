import { describe, expect, it } from 'vitest';
import { ResumeCursors } from './resume-cursors.ts';

const at = (chat_id: string, sequence: number, index?: number) => ({
  _threadline: index === undefined ? { chat_id, sequence } : { chat_id, sequence, index },
});

describe('ResumeCursors', () => {
  it('keeps the last replayable position per chat, never moving back', () => {
    const sut = new ResumeCursors();
    sut.record(at('A', 3, 0));
    sut.record(at('A', 3, 1));
    sut.record(at('B', 1, 0));
    sut.record(at('A', 2, 5));
    sut.record(at('A', 9)); // a direct push is never replayed: it says nothing about batch 9
    sut.record({ chat_id: 'A' });
    expect(sut.request()).toEqual({
      chats: [
        { chat_id: 'A', after_sequence: 3, after_index: 1 },
        { chat_id: 'B', after_sequence: 1, after_index: 0 },
      ],
    });
  });

  it('continues a chat to re-list from the answered sequence, and forgets chats not found', () => {
    const sut = new ResumeCursors();
    sut.record(at('A', 3, 0));
    sut.record(at('B', 1, 0));
    sut.record(at('C', 8, 0));
    const relist = sut.settle({
      chats: [
        { chat_id: 'A', status: 'relist_required', sequence: 40 },
        { chat_id: 'B', status: 'not_found' },
        { chat_id: 'C', status: 'relist_required', sequence: 5 },
      ],
    });
    expect(relist).toEqual(['A', 'C']);
    expect(sut.of('A')).toEqual({ chat_id: 'A', after_sequence: 40 });
    expect(sut.of('B')).toBeUndefined();
    expect(sut.of('C')).toEqual({ chat_id: 'C', after_sequence: 8, after_index: 0 });
    sut.record(at('A', 40, 2));
    expect(sut.of('A')).toEqual({ chat_id: 'A', after_sequence: 40 });
    sut.record(at('A', 41, 0));
    expect(sut.of('A')).toEqual({ chat_id: 'A', after_sequence: 41, after_index: 0 });
  });
});
