import type { ChatEvent, ChatUser } from '@threadline/protocol';
import { describe, expect, it } from 'vitest';
import { summarizeThread } from './thread-summary.ts';

const users: ChatUser[] = [
  { id: 'c', type: 'customer', present: true },
  { id: 'a', type: 'agent', present: true },
];
let counter = 0;
const message = (author: string, text: string, extra: Partial<ChatEvent> = {}): ChatEvent => ({
  id: `T_${++counter}`,
  created_at: '2025-11-25T10:00:00.000000Z',
  type: 'message',
  author_id: author,
  text,
  visibility: 'all',
  ...extra,
});

describe('thread summary', () => {
  it("opens with the customer's first meaningful sentence and keeps the most representative ones in order", () => {
    const text = summarizeThread(
      [
        message('c', 'Hello! My invoice shows a double charge. Can you help?'),
        message('a', 'Sure, let me check the invoice.'),
        message('a', 'The double charge on the invoice is refunded now.'),
        message('c', 'Great, bye.'),
      ],
      users,
    );
    expect(text).toBe(
      [
        '• Customer: My invoice shows a double charge.',
        '• Agent: Sure, let me check the invoice.',
        '• Agent: The double charge on the invoice is refunded now.',
      ].join('  \n'),
    );
  });

  it('summarizes messages only, skipping deleted ones, and nothing when there are none', () => {
    expect(
      summarizeThread(
        [
          message('c', 'gone', { deleted: true }),
          { id: 'S', created_at: '', type: 'system_message', visibility: 'all', text: 'x' },
        ],
        users,
      ),
    ).toBeUndefined();
    expect(summarizeThread([message('a', 'Only the agent spoke.')], users)).toBe(
      '• Agent: Only the agent spoke.',
    );
  });
});
