import { describe, expect, it } from 'vitest';
import { canSeeChat } from './chat.access.ts';
import { isThreadRestricted } from './chat.views.ts';
import { readerOf } from './projections/chat.views.ts';
import { aCustomer, anAgent, organizationId } from './testing/factories.ts';

const salesChat = {
  organizationId,
  access: { group_ids: [2] },
  users: [{ id: 'customer-1', type: 'customer' as const, present: true }],
} as Parameters<typeof canSeeChat>[1];

describe('canSeeChat', () => {
  it("keeps an agent's request within its groups unless it reaches all chats", () => {
    expect(canSeeChat(anAgent({ groupIds: [0, 1] }), salesChat)).toBe(false);
    expect(canSeeChat(anAgent({ groupIds: [0, 1], allChats: true }), salesChat)).toBe(true);
    expect(canSeeChat(anAgent({ groupIds: [2] }), salesChat)).toBe(true);
  });

  it('never lets all-chats reach another organization, nor a customer into a chat not theirs', () => {
    const elsewhere = { ...salesChat, organizationId: 'org-2' };
    expect(canSeeChat(anAgent({ allChats: true }), elsewhere)).toBe(false);
    expect(canSeeChat(aCustomer({ id: 'customer-2', allChats: true }), salesChat)).toBe(false);
  });

  it('reads restricted threads in full only on an all-chats request', () => {
    const thread = { access: { group_ids: [2] }, userIds: [] };
    expect(isThreadRestricted(thread, readerOf(anAgent({ groupIds: [0] })))).toBe(true);
    expect(isThreadRestricted(thread, readerOf(anAgent({ groupIds: [0], allChats: true })))).toBe(
      false,
    );
  });
});
