import { ChatEventBatch, Command, Notification, Requester } from '@threadline/contracts';
import { type ErrorType, ProtocolError } from '@threadline/protocol';

/** Builders for what crosses the router's boundaries, with overridable defaults. */
export function anAgentRequester(overrides: Partial<Requester> & { userId: string }): Requester {
  return Requester.fromPartial({
    organizationId: 'org1',
    userType: 'agent',
    name: overrides.userId,
    email: overrides.userId,
    avatar: '',
    groupIds: [0],
    maxChatsCount: 6,
    role: 'normal',
    connectionId: 'conn-1',
    requestId: 'req-1',
    ...overrides,
  });
}

export function aCommand(action: string, requester: Requester, payload: unknown = {}): Command {
  return Command.fromPartial({
    commandId: crypto.randomUUID(),
    requester,
    action,
    payloadJson: JSON.stringify(payload),
    apiVersion: '3.6',
    issuedAt: new Date().toISOString(),
  });
}

function aBatch(
  organizationId: string,
  chatId: string,
  notification: Notification,
): ChatEventBatch {
  return ChatEventBatch.fromPartial({
    organizationId,
    chatId,
    version: 1,
    commandId: crypto.randomUUID(),
    notifications: [notification],
  });
}

/** What chat-store appends when a customer starts a chat: no agent yet. */
export function anIncomingChatBatch(options: {
  organizationId?: string;
  chatId: string;
  threadId?: string;
  groupIds?: number[];
}): ChatEventBatch {
  const organizationId = options.organizationId ?? 'org1';
  const groupIds = options.groupIds ?? [0];
  const payload = {
    chat: {
      id: options.chatId,
      users: [{ id: `customer-of-${options.chatId}`, type: 'customer', present: true }],
      properties: {},
      access: { group_ids: groupIds },
      thread: { id: options.threadId ?? `${options.chatId}-T1`, active: true, events: [] },
    },
  };
  return aBatch(
    organizationId,
    options.chatId,
    Notification.fromPartial({
      action: 'incoming_chat',
      payloadJson: JSON.stringify(payload),
      recipientUserIds: [`customer-of-${options.chatId}`],
      recipientGroupIds: groupIds,
    }),
  );
}

export function aChatDeactivatedBatch(options: {
  organizationId?: string;
  chatId: string;
  threadId?: string;
}): ChatEventBatch {
  const payload = {
    chat_id: options.chatId,
    thread_id: options.threadId ?? `${options.chatId}-T1`,
  };
  return aBatch(
    options.organizationId ?? 'org1',
    options.chatId,
    Notification.fromPartial({ action: 'chat_deactivated', payloadJson: JSON.stringify(payload) }),
  );
}

export function aUserAddedBatch(options: {
  organizationId?: string;
  chatId: string;
  threadId?: string;
  agentId: string;
}): ChatEventBatch {
  const payload = {
    chat_id: options.chatId,
    thread_id: options.threadId ?? `${options.chatId}-T1`,
    user: { id: options.agentId, type: 'agent', present: true },
    reason: 'manual',
  };
  return aBatch(
    options.organizationId ?? 'org1',
    options.chatId,
    Notification.fromPartial({
      action: 'user_added_to_chat',
      payloadJson: JSON.stringify(payload),
    }),
  );
}

export function aUserRemovedBatch(options: {
  organizationId?: string;
  chatId: string;
  userId: string;
}): ChatEventBatch {
  const payload = { chat_id: options.chatId, user_id: options.userId, reason: 'manual' };
  return aBatch(
    options.organizationId ?? 'org1',
    options.chatId,
    Notification.fromPartial({
      action: 'user_removed_from_chat',
      payloadJson: JSON.stringify(payload),
    }),
  );
}

/** transfer_chat to groups as chat-store stores it: the present agent leaves, then the marker. */
export function aTransferredToGroupsBatch(options: {
  organizationId?: string;
  chatId: string;
  threadId?: string;
  removedAgentId: string;
  groupIds: number[];
}): ChatEventBatch {
  const threadId = options.threadId ?? `${options.chatId}-T1`;
  const batch = aUserRemovedBatch({
    chatId: options.chatId,
    userId: options.removedAgentId,
    ...(options.organizationId ? { organizationId: options.organizationId } : {}),
  });
  const transferred = {
    chat_id: options.chatId,
    thread_id: threadId,
    reason: 'manual',
    transferred_to: { group_ids: options.groupIds, agent_ids: [] },
  };
  batch.notifications.push(
    Notification.fromPartial({
      action: 'chat_transferred',
      payloadJson: JSON.stringify(transferred),
      recipientGroupIds: options.groupIds,
    }),
  );
  return batch;
}

/** The protocol error type a call failed with; undefined when it succeeded. */
export async function errorType(promise: Promise<unknown>): Promise<ErrorType | undefined> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  return error instanceof ProtocolError ? error.type : undefined;
}
