import type { ChatNotification } from '../src/domain/chat-snapshot.ts';
import type { NotificationFacts } from '../src/domain/matching.ts';
import type { Registration } from '../src/domain/registration.ts';

export const organizationId = 'a0a0a0a0-0000-4000-8000-000000000001';

export function aRegistration(overrides: Partial<Registration> = {}): Registration {
  return {
    id: '0123456789abcdef0123456789abcdef',
    organizationId,
    ownerClientId: 'client-1',
    action: 'incoming_event',
    url: 'http://127.0.0.1:9/webhooks',
    secretKey: 'top-secret',
    type: 'license',
    description: undefined,
    filters: {},
    additionalData: [],
    apiVersion: '3.6',
    ...overrides,
  };
}

export function aChat(overrides: Record<string, unknown> = {}) {
  return {
    id: 'PJ0MRSHTDG',
    users: [
      { id: 'customer-1', type: 'customer', present: true },
      { id: 'agent@example.com', type: 'agent', present: true },
    ],
    properties: { source: { client_id: 'client-1' }, routing: { continuous: false } },
    access: { group_ids: [0] },
    thread: { id: 'K600PKZON8', active: true, events: [] },
    ...overrides,
  };
}

export function anIncomingChat(overrides: Record<string, unknown> = {}): ChatNotification {
  return {
    action: 'incoming_chat',
    payload: { requester_id: 'customer-1', chat: aChat(overrides) },
    recipientUserIds: ['customer-1', 'agent@example.com'],
  };
}

export function anIncomingEvent(
  authorId = 'customer-1',
  event: Record<string, unknown> = {},
): ChatNotification {
  return {
    action: 'incoming_event',
    payload: {
      chat_id: 'PJ0MRSHTDG',
      thread_id: 'K600PKZON8',
      event: {
        id: 'K600PKZON8_1',
        type: 'message',
        text: 'Hello',
        author_id: authorId,
        visibility: 'all',
        created_at: '2025-06-01T10:00:00.000000Z',
        ...event,
      },
    },
    recipientUserIds: ['customer-1', 'agent@example.com'],
  };
}

export function factsOf(
  notification: ChatNotification,
  overrides: Partial<NotificationFacts> = {},
): NotificationFacts {
  return {
    ...notification,
    requester: { userId: 'customer-1', userType: 'customer' },
    chat: undefined,
    ...overrides,
  };
}
