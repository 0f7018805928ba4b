import { describe, expect, it } from 'vitest';
import { anIncomingChat, anIncomingEvent } from '../../test/factories.ts';
import { evolveChatSnapshot } from './chat-snapshot.ts';

const propertiesUpdated = (properties: Record<string, unknown>) => ({
  action: 'chat_properties_updated',
  payload: { chat_id: 'PJ0MRSHTDG', properties },
  recipientUserIds: [],
});

describe('evolveChatSnapshot', () => {
  it('learns properties and user types from incoming_chat', () => {
    const snapshot = evolveChatSnapshot(undefined, {
      version: 1,
      notifications: [anIncomingChat()],
    });
    expect(snapshot).toEqual({
      version: 1,
      properties: { source: { client_id: 'client-1' }, routing: { continuous: false } },
      userTypes: { 'customer-1': 'customer', 'agent@example.com': 'agent' },
    });
  });

  it('leaves the snapshot alone for notifications that do not describe the chat', () => {
    const snapshot = evolveChatSnapshot(undefined, {
      version: 1,
      notifications: [anIncomingChat()],
    });
    expect(evolveChatSnapshot(snapshot, { version: 2, notifications: [anIncomingEvent()] })).toBe(
      snapshot,
    );
    expect(evolveChatSnapshot(undefined, { version: 2, notifications: [anIncomingEvent()] })).toBe(
      undefined,
    );
  });

  it('merges and deletes properties per namespace', () => {
    let snapshot = evolveChatSnapshot(undefined, { version: 1, notifications: [anIncomingChat()] });
    snapshot = evolveChatSnapshot(snapshot, {
      version: 2,
      notifications: [propertiesUpdated({ source: { url: 'https://shop' } })],
    });
    snapshot = evolveChatSnapshot(snapshot, {
      version: 3,
      notifications: [
        {
          action: 'chat_properties_deleted',
          payload: { chat_id: 'PJ0MRSHTDG', properties: { routing: ['continuous'] } },
          recipientUserIds: [],
        },
      ],
    });
    expect(snapshot?.properties).toEqual({
      source: { client_id: 'client-1', url: 'https://shop' },
      routing: {},
    });
    expect(snapshot?.version).toBe(3);
  });

  it('does not let an older batch overwrite newer properties, but keeps its user types', () => {
    const newer = evolveChatSnapshot(undefined, {
      version: 5,
      notifications: [propertiesUpdated({ source: { client_id: 'new' } })],
    });
    const snapshot = evolveChatSnapshot(newer, {
      version: 1,
      notifications: [anIncomingChat({ properties: { source: { client_id: 'old' } } })],
    });
    expect(snapshot?.properties).toEqual({ source: { client_id: 'new' } });
    expect(snapshot?.userTypes).toEqual({
      'customer-1': 'customer',
      'agent@example.com': 'agent',
    });
  });

  it('records users added later', () => {
    const snapshot = evolveChatSnapshot(undefined, {
      version: 2,
      notifications: [
        {
          action: 'user_added_to_chat',
          payload: {
            chat_id: 'PJ0MRSHTDG',
            user: { id: 'bot-1', type: 'agent' },
            reason: 'assigned',
          },
          recipientUserIds: [],
        },
      ],
    });
    expect(snapshot?.userTypes).toEqual({ 'bot-1': 'agent' });
    expect(snapshot?.properties).toBeUndefined();
  });
});
