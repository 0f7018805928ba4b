import { presentUserIds } from './chat.access.ts';
import { evolve, fold } from './chat.evolve.ts';
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
 * when it happens; payloads are the agent push's.
 *
 * - a batch that opens a thread (start/resume) is one `incoming_chat` with the whole new thread;
 * - an agent added with reason `assigned` gets `incoming_chat` (a push only, see `pushOnly`),
 *   the others `user_added_to_chat`;
 * - every other event is `incoming_event` to those present after it;
 * - a closed thread is `chat_deactivated` to those present before it closed.
 */
export function notificationsFor(
  before: ChatState,
  events: readonly ChatDomainEvent[],
  actor: Actor,
): ChatNotification[] {
  const after = fold(events, before);
  if (after.status !== 'existing') return [];
  const requester = actor.type === 'system' ? {} : { requester_id: actor.id };
  const groups = after.access.group_ids;
  if (events.some((event) => event.type === 'thread_opened') && after.lastThread) {
    return [
      notification(
        'incoming_chat',
        { ...requester, chat: incomingChatView(after, after.lastThread) },
        presentUserIds(after),
        groups,
      ),
    ];
  }
  const notifications: ChatNotification[] = [];
  let state = before;
  for (const event of events) {
    const next = evolve(state, event);
    if (state.status === 'existing' && next.status === 'existing') {
      notifications.push(...notificationsOfEvent(event, state, next, requester));
    }
    state = next;
  }
  return notifications;
}

function notificationsOfEvent(
  event: ChatDomainEvent,
  before: ExistingChat,
  after: ExistingChat,
  requester: { requester_id?: string },
): ChatNotification[] {
  const groups = after.access.group_ids;
  switch (event.type) {
    case 'user_added': {
      const thread = after.lastThread;
      if (event.data.reason !== 'assigned' || !thread) return [];
      const { user } = event.data;
      const others = presentUserIds(before).filter((id) => id !== user.id);
      return [
        {
          ...notification(
            'incoming_chat',
            { ...requester, chat: incomingChatView(after, thread) },
            [user.id],
            groups,
          ),
          pushOnly: true,
        },
        notification(
          'user_added_to_chat',
          { chat_id: after.id, thread_id: thread.id, user, reason: 'assigned', ...requester },
          others,
          groups,
        ),
      ];
    }
    case 'event_added':
      return [
        notification(
          'incoming_event',
          { chat_id: after.id, thread_id: event.data.thread_id, event: event.data.event },
          presentUserIds(after),
          groups,
        ),
      ];
    case 'thread_closed':
      return [
        notification(
          'chat_deactivated',
          {
            chat_id: after.id,
            thread_id: event.data.thread_id,
            ...(event.data.user_id ? { user_id: event.data.user_id } : {}),
          },
          presentUserIds(before),
          groups,
        ),
      ];
    case 'chat_created':
    case 'chat_updated':
    case 'thread_opened':
      return [];
  }
}

function notification(
  action: ChatNotification['action'],
  payload: Record<string, unknown>,
  recipientUserIds: string[],
  recipientGroupIds: number[],
): ChatNotification {
  return { action, payload, recipientUserIds, recipientGroupIds: [...recipientGroupIds] };
}
