import { presentUserIds } from './chat.access.ts';
import { notificationOf } from './chat.builders.ts';
import { evolve, findThread, fold } from './chat.evolve.ts';
import type {
  Actor,
  ChatDomainEvent,
  ChatNotification,
  ChatState,
  ExistingChat,
} from './chat.types.ts';
import { incomingChatView } from './chat.views.ts';

/**
 * What a batch announces (spec §4.1): computed once here, pushed to users by chat-store, turned
 * into webhooks by the webhook service and read by the router. Recipients are the users present
 * when it happens; payloads are the agent push's. Followers get copies when pushed.
 *
 * - a batch that opens a thread (start/resume) is one `incoming_chat` with the whole new thread;
 * - a user added with a reason (`assigned`, `manual`) gets `incoming_chat` (a push only, see
 *   `pushOnly`), the others `user_added_to_chat`;
 * - a new follower gets `incoming_chat` (a push only) unless already in the chat;
 * - seen state that comes with the requester's own event or thread is implied by it; only a batch
 *   without one announces `events_marked_as_seen`;
 * - every other change is the same-named push (properties, tags, deletions, summaries, postbacks
 *   on active threads), to those present after it; a closed thread is `chat_deactivated` to those
 *   present before it closed.
 */
export function notificationsFor(
  before: ChatState,
  events: readonly ChatDomainEvent[],
  actor: Actor,
): ChatNotification[] {
  const after = fold(events, before);
  if (after.status !== 'existing') return [];
  const requester = actor.type === 'system' ? {} : { requester_id: actor.id };
  if (events.some((event) => event.type === 'thread_opened') && after.lastThread) {
    return [
      notificationOf(
        after,
        'incoming_chat',
        { ...requester, chat: incomingChatView(after, after.lastThread) },
        presentUserIds(after),
      ),
    ];
  }
  const context: Context = {
    requester,
    actor,
    presentAtStart: before.status === 'existing' ? presentUserIds(before) : [],
    seenImplied: events.some((event) => event.type === 'event_added'),
  };
  const notifications: ChatNotification[] = [];
  let state = before;
  for (const event of events) {
    const next = evolve(state, event);
    if (state.status === 'existing' && next.status === 'existing') {
      notifications.push(...notificationsOfEvent(event, state, next, context));
    }
    state = next;
  }
  return notifications;
}

interface Context {
  requester: { requester_id?: string };
  actor: Actor;
  /** Who was present before the batch: the agents a transfer removes still hear of it. */
  presentAtStart: string[];
  seenImplied: boolean;
}

function notificationsOfEvent(
  event: ChatDomainEvent,
  before: ExistingChat,
  after: ExistingChat,
  context: Context,
): ChatNotification[] {
  const chat = { chat_id: after.id };
  const present = presentUserIds(after);
  switch (event.type) {
    case 'user_added':
      return userAdded(event, before, after, context);
    case 'user_removed': {
      const user = before.users.find((candidate) => candidate.id === event.data.user_id);
      const payload = { ...chat, ...event.data, ...context.requester };
      return [
        notificationOf(after, 'user_removed_from_chat', payload, presentUserIds(before), {
          agentsOnly: user?.visibility === 'agents',
        }),
      ];
    }
    case 'event_added':
      return [
        notificationOf(
          after,
          'incoming_event',
          { ...chat, thread_id: event.data.thread_id, event: event.data.event },
          present,
          { agentsOnly: event.data.event.visibility === 'agents' },
        ),
      ];
    case 'thread_closed':
      return [
        notificationOf(
          after,
          'chat_deactivated',
          { ...chat, ...event.data },
          presentUserIds(before),
        ),
      ];
    case 'chat_followed':
      return followed(event.data.user_id, after, context);
    case 'chat_unfollowed':
      return [
        notificationOf(after, 'chat_unfollowed', chat, [event.data.user_id], { pushOnly: true }),
      ];
    case 'events_seen':
      if (context.seenImplied) return [];
      return [
        notificationOf(
          after,
          'events_marked_as_seen',
          { user_id: event.data.user_id, ...chat, seen_up_to: event.data.seen_up_to },
          [...new Set([...present, event.data.user_id])],
        ),
      ];
    case 'chat_properties_updated':
    case 'chat_properties_deleted':
    case 'thread_properties_updated':
    case 'thread_properties_deleted':
      return [notificationOf(after, event.type, { ...chat, ...event.data }, present)];
    case 'event_properties_updated':
    case 'event_properties_deleted':
    case 'event_deleted':
      return [
        notificationOf(after, event.type, { ...chat, ...event.data }, present, {
          agentsOnly: eventVisibility(after, event.data) === 'agents',
        }),
      ];
    case 'postback_sent': {
      if (!findThread(after, event.data.thread_id)?.active) return [];
      const { user_id, thread_id, event_id, postback } = event.data;
      const payload = { user_id, ...chat, thread_id, event_id, postback };
      return [
        notificationOf(after, 'incoming_rich_message_postback', payload, present, {
          agentsOnly: eventVisibility(after, event.data) === 'agents',
        }),
      ];
    }
    case 'thread_tagged':
    case 'thread_untagged':
      return [
        notificationOf(after, event.type, { ...chat, ...event.data }, present, {
          agentsOnly: true,
        }),
      ];
    case 'thread_summary_set': {
      // The requester asked for it; on an inactive thread no agent is present any more.
      const agents = after.users.filter((user) => user.type === 'agent' && user.present);
      const recipients = new Set([...agents.map((user) => user.id), context.actor.id]);
      return [
        notificationOf(after, event.type, { ...chat, ...event.data }, [...recipients], {
          agentsOnly: true,
        }),
      ];
    }
    case 'chat_updated':
      // Outside start/resume (which announce `incoming_chat`) only transfer_chat changes access.
      if (!event.data.access) return [];
      return [
        notificationOf(
          after,
          'chat_access_updated',
          { id: after.id, access: event.data.access },
          presentUserIds(before),
          { agentsOnly: true },
        ),
      ];
    case 'chat_transferred': {
      const recipients = new Set([...context.presentAtStart, ...present]);
      const payload = {
        ...chat,
        thread_id: event.data.thread_id,
        ...context.requester,
        reason: event.data.reason ?? 'manual',
        transferred_to: event.data.transferred_to,
        ...(event.data.queue ? { queue: event.data.queue } : {}),
      };
      return [notificationOf(after, 'chat_transferred', payload, [...recipients])];
    }
    case 'chat_created':
    case 'thread_opened':
      return [];
  }
}

function userAdded(
  event: Extract<ChatDomainEvent, { type: 'user_added' }>,
  before: ExistingChat,
  after: ExistingChat,
  context: Context,
): ChatNotification[] {
  const thread = after.lastThread;
  if (!event.data.reason || !thread) return [];
  const { user, reason } = event.data;
  const others = presentUserIds(before).filter((id) => id !== user.id);
  const agentsOnly = user.visibility === 'agents';
  return [
    notificationOf(
      after,
      'incoming_chat',
      { ...context.requester, chat: incomingChatView(after, thread) },
      [user.id],
      { pushOnly: true },
    ),
    notificationOf(
      after,
      'user_added_to_chat',
      { chat_id: after.id, thread_id: thread.id, user, reason, ...context.requester },
      others,
      { agentsOnly },
    ),
  ];
}

function followed(userId: string, after: ExistingChat, context: Context): ChatNotification[] {
  const thread = after.lastThread;
  const member = after.users.some((user) => user.id === userId && user.present);
  if (member || !thread) return [];
  return [
    notificationOf(
      after,
      'incoming_chat',
      { ...context.requester, chat: incomingChatView(after, thread) },
      [userId],
      { pushOnly: true },
    ),
  ];
}

function eventVisibility(
  chat: ExistingChat,
  ref: { thread_id: string; event_id: string },
): string | undefined {
  return findThread(chat, ref.thread_id)?.events.find((event) => event.id === ref.event_id)
    ?.visibility;
}
