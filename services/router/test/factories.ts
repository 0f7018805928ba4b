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

/**
 * Versions grow with every batch built, as a chat's do with every batch appended (one counter for
 * all chats keeps each chat's growing too). A test of late batches builds them in chat order and
 * publishes them in another.
 */
let lastVersion = 0;

function aBatch(
  organizationId: string,
  chatId: string,
  notification: Notification,
  requester?: { userId: string; userType: string },
  /** When chat-store appended the batch: its one domain event's time. */
  at?: number,
): ChatEventBatch {
  lastVersion += 1;
  return ChatEventBatch.fromPartial({
    organizationId,
    chatId,
    version: lastVersion,
    commandId: crypto.randomUUID(),
    ...(requester ? { requester: { organizationId, ...requester } } : {}),
    ...(at === undefined
      ? {}
      : { events: [{ type: 'batch_appended', occurredAt: new Date(at).toISOString() }] }),
    notifications: [notification],
  });
}

/** A protocol timestamp (microseconds, UTC) of an epoch-millisecond time. */
export function protocolTime(time: number): string {
  return new Date(time).toISOString().replace('Z', '000Z');
}

/** What chat-store appends when a customer starts a chat: no agent yet. */
export function anIncomingChatBatch(options: {
  organizationId?: string;
  chatId: string;
  threadId?: string;
  groupIds?: number[];
  /** Epoch ms of the thread's start, with the customer's first message: its timers start. */
  startedAt?: number;
  continuous?: boolean;
}): ChatEventBatch {
  const organizationId = options.organizationId ?? 'org1';
  const groupIds = options.groupIds ?? [0];
  const customerId = `customer-of-${options.chatId}`;
  const threadId = options.threadId ?? `${options.chatId}-T1`;
  const started = options.startedAt === undefined ? undefined : protocolTime(options.startedAt);
  const payload = {
    chat: {
      id: options.chatId,
      users: [{ id: customerId, type: 'customer', present: true }],
      properties: options.continuous ? { routing: { continuous: true } } : {},
      access: { group_ids: groupIds },
      thread: {
        id: threadId,
        active: true,
        ...(started
          ? {
              created_at: started,
              events: [{ id: `${threadId}_1`, type: 'message', text: 'Hi', created_at: started }],
            }
          : { events: [] }),
      },
    },
  };
  return aBatch(
    organizationId,
    options.chatId,
    Notification.fromPartial({
      action: 'incoming_chat',
      payloadJson: JSON.stringify(payload),
      recipientUserIds: [customerId],
      recipientGroupIds: groupIds,
    }),
    { userId: customerId, userType: 'customer' },
  );
}

/** What chat-store appends for a message: who wrote it (`requester`) and when. */
export function anIncomingEventBatch(options: {
  organizationId?: string;
  chatId: string;
  threadId?: string;
  author: { userId: string; userType: 'customer' | 'agent' | 'bot' };
  at: number;
}): ChatEventBatch {
  const threadId = options.threadId ?? `${options.chatId}-T1`;
  const payload = {
    chat_id: options.chatId,
    thread_id: threadId,
    event: {
      id: `${threadId}_${options.at}`,
      type: 'message',
      text: 'more',
      author_id: options.author.userId,
      created_at: protocolTime(options.at),
    },
  };
  return aBatch(
    options.organizationId ?? 'org1',
    options.chatId,
    Notification.fromPartial({ action: 'incoming_event', payloadJson: JSON.stringify(payload) }),
    options.author,
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
  at?: number;
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
    undefined,
    options.at,
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
