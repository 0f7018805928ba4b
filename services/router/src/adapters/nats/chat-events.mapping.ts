import type { ChatEventBatch, Notification } from '@threadline/contracts';
import { z } from 'zod';
import type { RoutingSignal } from '../../domain/routing-signal.ts';

/**
 * Reads the notifications of a chat event batch (payloads exactly as the agent pushes, spec
 * §4.1) into routing signals. Only the fields the router needs are checked; a notification that
 * does not have them is not one the router can act on and is skipped, never fatal.
 */
const chatUser = z.object({ id: z.string(), type: z.string(), present: z.boolean().optional() });
const groupIds = z.array(z.number().int());

const threadEvent = z.object({ type: z.string(), created_at: z.string() });
const incomingChat = z.object({
  chat: z.object({
    id: z.string(),
    users: z.array(chatUser).default([]),
    properties: z
      .object({
        routing: z
          .object({ continuous: z.boolean(), ignore_agents_routing: z.boolean() })
          .partial()
          .optional(),
      })
      .partial()
      .optional(),
    access: z.object({ group_ids: groupIds }).partial().optional(),
    thread: z
      .object({
        id: z.string(),
        active: z.boolean().optional(),
        created_at: z.string().optional(),
        events: z.array(threadEvent).default([]),
        properties: z
          .object({ routing: z.object({ ignore_bots: z.boolean() }).partial().optional() })
          .partial()
          .optional(),
        access: z.object({ group_ids: groupIds }).partial().optional(),
      })
      .optional(),
  }),
});
const incomingEvent = z.object({ chat_id: z.string(), thread_id: z.string(), event: threadEvent });
const userAdded = z.object({
  chat_id: z.string(),
  thread_id: z.string().optional(),
  user: chatUser,
});
const userRemoved = z.object({ chat_id: z.string(), user_id: z.string() });
const chatDeactivated = z.object({ chat_id: z.string(), thread_id: z.string() });
const chatTransferred = z.object({
  chat_id: z.string(),
  thread_id: z.string(),
  transferred_to: z.object({
    group_ids: groupIds.default([]),
    agent_ids: z.array(z.string()).default([]),
  }),
});

export function readRoutingSignals(batch: ChatEventBatch): RoutingSignal[] {
  const author = authorOf(batch.requester?.userType);
  const at = batchTime(batch);
  const version = batch.version > 0 ? batch.version : undefined;
  return batch.notifications
    .flatMap((notification) => readNotification(notification, author))
    .map((signal) => stamped(signal, at, version));
}

/** Membership signals carry the chat's version (see `RoutingSignal`), joins the batch's time. */
function stamped(
  signal: RoutingSignal,
  at: number | undefined,
  version: number | undefined,
): RoutingSignal {
  if (signal.type === 'user_left' || signal.type === 'thread_closed') {
    return version === undefined ? signal : { ...signal, version };
  }
  if (signal.type !== 'agent_joined' && signal.type !== 'chat_needs_agent') return signal;
  return {
    ...signal,
    ...(at === undefined ? {} : { at }),
    ...(version === undefined ? {} : { version }),
  };
}

/** When a batch happened: the latest of its events' times (one command's events share a clock). */
function batchTime(batch: ChatEventBatch): number | undefined {
  const times = batch.events
    .map((event) => timeOf(event.occurredAt))
    .filter((time) => time !== undefined);
  return times.length > 0 ? Math.max(...times) : undefined;
}

/** Who wrote the events of a batch: its requester (system messages are the router's own). */
type Author = 'customer' | 'agent' | undefined;

function authorOf(userType: string | undefined): Author {
  if (userType === 'customer') return 'customer';
  if (userType === 'agent' || userType === 'bot') return 'agent';
  return undefined;
}

function readNotification(notification: Notification, author: Author): RoutingSignal[] {
  const payload = parseJson(notification.payloadJson);
  switch (notification.action) {
    case 'incoming_chat':
      return fromIncomingChat(payload, notification.recipientGroupIds, author);
    case 'incoming_event': {
      const parsed = incomingEvent.safeParse(payload);
      if (!parsed.success) return [];
      const { chat_id, thread_id, event } = parsed.data;
      return activityOf(chat_id, thread_id, [event], author);
    }
    case 'user_added_to_chat': {
      const parsed = userAdded.safeParse(payload);
      if (!parsed.success || !parsed.data.thread_id || !isPresentAgent(parsed.data.user)) return [];
      const { chat_id, thread_id, user } = parsed.data;
      return [{ type: 'agent_joined', chatId: chat_id, threadId: thread_id, agentId: user.id }];
    }
    case 'user_removed_from_chat': {
      const parsed = userRemoved.safeParse(payload);
      if (!parsed.success) return [];
      return [{ type: 'user_left', chatId: parsed.data.chat_id, userId: parsed.data.user_id }];
    }
    case 'chat_deactivated': {
      const parsed = chatDeactivated.safeParse(payload);
      if (!parsed.success) return [];
      return [
        { type: 'thread_closed', chatId: parsed.data.chat_id, threadId: parsed.data.thread_id },
      ];
    }
    case 'chat_transferred':
      return fromChatTransferred(payload, notification.recipientGroupIds);
    default:
      return [];
  }
}

/**
 * A transfer to groups leaves no agent present (chat-store removes them all in the same batch,
 * whose `user_removed_from_chat` came first and freed their slots): route the thread again in
 * the new groups. A transfer to agents adds them; their `user_added_to_chat` carries the load.
 */
function fromChatTransferred(payload: unknown, recipientGroupIds: number[]): RoutingSignal[] {
  const parsed = chatTransferred.safeParse(payload);
  if (!parsed.success || parsed.data.transferred_to.agent_ids.length > 0) return [];
  const { chat_id, thread_id, transferred_to } = parsed.data;
  const groups = transferred_to.group_ids.length ? transferred_to.group_ids : recipientGroupIds;
  return [
    {
      type: 'chat_needs_agent',
      chatId: chat_id,
      threadId: thread_id,
      groupIds: groups,
      transferred: true,
    },
  ];
}

/**
 * An active thread with no present agent needs routing. One with agents present (an agent
 * started it, or this is the batch of our own assignment) only tells us who carries its load.
 */
function fromIncomingChat(
  payload: unknown,
  recipientGroupIds: number[],
  author: Author,
): RoutingSignal[] {
  const parsed = incomingChat.safeParse(payload);
  if (!parsed.success) return [];
  const { chat } = parsed.data;
  if (!chat.thread || chat.thread.active === false) return [];
  const threadId = chat.thread.id;
  const groups = chat.access?.group_ids ?? chat.thread.access?.group_ids ?? recipientGroupIds;
  const startedAt = timeOf(chat.thread.created_at);
  const [activity] = activityOf(chat.id, threadId, chat.thread.events, author);
  const continuous = chat.properties?.routing?.continuous === true;
  const customerId = chat.users.find((user) => user.type === 'customer')?.id;
  const lifecycle: RoutingSignal[] =
    startedAt === undefined
      ? activity
        ? [activity]
        : []
      : [
          {
            type: 'thread_started',
            chatId: chat.id,
            threadId,
            groupIds: groups,
            customerId,
            continuous,
            at: startedAt,
            ...(activity?.type === 'thread_activity'
              ? { activity: { author: activity.author, at: activity.at } }
              : {}),
          },
        ];
  const agents = chat.users.filter(isPresentAgent);
  if (agents.length > 0) {
    return [
      ...lifecycle,
      ...agents.map((agent) => ({
        type: 'agent_joined' as const,
        chatId: chat.id,
        threadId,
        agentId: agent.id,
      })),
    ];
  }
  const ignoreAgents = chat.properties?.routing?.ignore_agents_routing === true;
  const ignoreBots = chat.thread.properties?.routing?.ignore_bots === true;
  // Routing first: a customer waits for it; the timers' bookkeeping can follow.
  return [
    {
      type: 'chat_needs_agent',
      chatId: chat.id,
      threadId,
      groupIds: groups,
      continuous,
      ...(customerId ? { customerId } : {}),
      ...(ignoreAgents ? { ignoreAgents } : {}),
      ...(ignoreBots ? { ignoreBots } : {}),
    },
    ...lifecycle,
  ];
}

/** The latest of the events a user wrote (system messages do not count as anyone's activity). */
function activityOf(
  chatId: string,
  threadId: string,
  events: readonly z.infer<typeof threadEvent>[],
  author: Author,
): RoutingSignal[] {
  if (!author) return [];
  const times = events
    .filter((event) => event.type !== 'system_message')
    .map((event) => timeOf(event.created_at))
    .filter((time) => time !== undefined);
  if (times.length === 0) return [];
  return [{ type: 'thread_activity', chatId, threadId, author, at: Math.max(...times) }];
}

function timeOf(timestamp: string | undefined): number | undefined {
  const time = timestamp === undefined ? Number.NaN : Date.parse(timestamp);
  return Number.isNaN(time) ? undefined : time;
}

function isPresentAgent(user: z.infer<typeof chatUser>): boolean {
  return user.type === 'agent' && user.present !== false;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
