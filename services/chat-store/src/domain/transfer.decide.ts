import { type Access, ProtocolError } from '@threadline/protocol';
import { compactUser, eventAdded, nextEventId, systemMessage } from './chat.builders.ts';
import type { PayloadCommand } from './chat.commands.ts';
import { activeThread, requireAgent, requirePresence, visibleChat } from './chat.guards.ts';
import type {
  ChatDomainEvent,
  ChatState,
  Decision,
  ExistingChat,
  TransferredTo,
} from './chat.types.ts';

type TransferCommand = PayloadCommand<'transfer_chat'>;

/**
 * transfer_chat (spec §2): the active chat's present agents leave it and the target takes over.
 * - to agents: the target agents are added (reason `manual`); access stays as it is;
 * - to groups (or no target: the chat's current groups): access becomes those groups and no agent
 *   stays present, so the router routes it again on the `chat_transferred` notification.
 * Whether anyone in the target can take the chat (`ignore_agents_availability`) is the router's
 * knowledge: the gateway asks it (`can_accept`) before the command reaches chat-store.
 */
export function decideTransfer(command: TransferCommand, state: ChatState): Decision {
  const { actor, payload, at } = command;
  const denied = requireAgent(actor, 'transfer_chat');
  if (denied) return denied;
  const chat = visibleChat(actor, state, payload.id);
  if (chat instanceof ProtocolError) return chat;
  const thread = activeThread(chat);
  if (thread instanceof ProtocolError) return thread;
  const absent = requirePresence(chat, actor, payload.ignore_requester_presence ?? false);
  if (absent) return absent;
  const target = transferTarget(chat, payload.target);
  if (target instanceof ProtocolError) return target;

  const access: Access | undefined =
    target.group_ids.length > 0 ? { group_ids: target.group_ids } : undefined;
  const presentAgents = chat.users.filter((user) => user.type === 'agent' && user.present);
  const leaving = presentAgents.filter((user) => !target.agent_ids.includes(user.id));
  const joining = target.agent_ids.filter((id) => !presentAgents.some((user) => user.id === id));
  const accessChanged = access !== undefined && !sameGroups(access, chat.access);
  if (!accessChanged && leaving.length === 0 && joining.length === 0) {
    return new ProtocolError('validation', 'The chat is already with the transfer target');
  }
  const initiator = actor.name || actor.id;
  const targets =
    target.agent_ids.length > 0
      ? target.agent_ids.join(', ')
      : target.group_ids.map((id) => `group ${id}`).join(', ');
  const message = systemMessage(nextEventId(thread), at, 'chat_transferred', {
    text: `${initiator} transferred the chat to ${targets}`,
    text_vars: { initiator, targets },
  });
  const events: ChatDomainEvent[] = [
    ...(accessChanged && access ? [chatAccessUpdated(access, at)] : []),
    ...leaving.map(
      (user): ChatDomainEvent => ({
        type: 'user_removed',
        occurredAt: at,
        data: { user_id: user.id, reason: 'manual', thread_id: thread.id },
      }),
    ),
    ...joining.map(
      (id): ChatDomainEvent => ({
        type: 'user_added',
        occurredAt: at,
        data: {
          user: {
            ...(existingUser(chat, id) ?? compactUser({ id, type: 'agent' })),
            present: true,
          },
          reason: 'manual',
          thread_id: thread.id,
        },
      }),
    ),
    eventAdded(thread.id, message, false, at),
    {
      type: 'chat_transferred',
      occurredAt: at,
      data: { thread_id: thread.id, transferred_to: target },
    },
  ];
  return events;
}

/** Group ids are numbers and agent ids strings; no target means the chat's current groups. */
function transferTarget(
  chat: ExistingChat,
  target: TransferCommand['payload']['target'],
): TransferredTo | ProtocolError {
  if (!target) return { group_ids: [...chat.access.group_ids], agent_ids: [] };
  if (target.type === 'group') {
    const ids = target.ids.filter((id): id is number => typeof id === 'number');
    if (ids.length !== target.ids.length) {
      return new ProtocolError('validation', 'Wrong format of request: group ids are numbers');
    }
    return { group_ids: [...new Set(ids)], agent_ids: [] };
  }
  const ids = target.ids.filter((id): id is string => typeof id === 'string');
  if (ids.length !== target.ids.length) {
    return new ProtocolError('validation', 'Wrong format of request: agent ids are strings');
  }
  const customer = ids.find((id) => existingUser(chat, id)?.type === 'customer');
  if (customer) {
    return new ProtocolError('validation', `User ${customer} is a customer of this chat`);
  }
  return { group_ids: [], agent_ids: [...new Set(ids)] };
}

function existingUser(chat: ExistingChat, id: string) {
  return chat.users.find((user) => user.id === id);
}

function chatAccessUpdated(access: Access, at: string): ChatDomainEvent {
  return { type: 'chat_updated', occurredAt: at, data: { access } };
}

function sameGroups(a: Access, b: Access): boolean {
  const left = [...a.group_ids].sort();
  const right = [...b.group_ids].sort();
  return left.length === right.length && left.every((id, index) => id === right[index]);
}
