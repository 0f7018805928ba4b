import { describe, expect, it } from 'vitest';
import { canonicalDump } from './canonical-dump.ts';
import { chatsOfLines } from './projection-dump.ts';

describe('chatsOfLines', () => {
  it("names each line's chat by the table's organization and chat columns", () => {
    const { lines } = canonicalDump([
      {
        table: 'chats',
        key: ['organization_id', 'id'],
        rows: [{ organization_id: 'o', id: 'C1' }],
      },
      {
        table: 'events',
        key: ['organization_id', 'chat_id', 'id'],
        rows: [{ organization_id: 'o', chat_id: 'C2', id: 'E1' }],
      },
    ]);
    expect(chatsOfLines(lines)).toEqual([
      { organizationId: 'o', chatId: 'C1' },
      { organizationId: 'o', chatId: 'C2' },
    ]);
  });
});
