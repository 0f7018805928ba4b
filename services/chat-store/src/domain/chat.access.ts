import type { Access, ChatUser } from '@threadline/protocol';
import type { Actor } from './chat.types.ts';

/** What access rules look at; both the aggregate and the projected chat row have it. */
export interface ChatAccessView {
  organizationId: string;
  access: Access;
  users: readonly ChatUser[];
}

/**
 * Who may see (and so act on) a chat. A chat the actor may not see is reported as `not_found`,
 * never as forbidden, so ids of other tenants' or customers' chats reveal nothing.
 * - customers: only chats they are the customer of;
 * - agents: chats whose `access.group_ids` overlap their groups (`chats--access` scope), and chats
 *   they are a user of (an assigned agent keeps seeing the chat it works on); with `allChats`
 *   (`chats--all` scope), every chat of their organization;
 * - system (the router): every chat of its organization.
 */
export function canSeeChat(actor: Actor, chat: ChatAccessView): boolean {
  if (chat.organizationId !== actor.organizationId) return false;
  switch (actor.type) {
    case 'system':
      return true;
    case 'customer':
      return chat.users.some((user) => user.type === 'customer' && user.id === actor.id);
    case 'agent':
      return (
        actor.allChats === true ||
        chat.access.group_ids.some((group) => actor.groupIds.includes(group)) ||
        chat.users.some((user) => user.id === actor.id)
      );
  }
}

export function isPresentUser(chat: { users: readonly ChatUser[] }, userId: string): boolean {
  return chat.users.some((user) => user.id === userId && user.present);
}

export function presentUserIds(chat: { users: readonly ChatUser[] }): string[] {
  return chat.users.filter((user) => user.present).map((user) => user.id);
}

/**
 * Default access of a new chat: the group the customer came through (the gateway puts it first in
 * the customer's `group_ids`), else group 0, LiveChat's default group every agent belongs to.
 */
export function defaultAccess(actor: Actor): Access {
  return { group_ids: [actor.type === 'customer' ? (actor.groupIds[0] ?? 0) : 0] };
}
