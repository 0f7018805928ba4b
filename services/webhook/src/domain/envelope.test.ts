import { describe, expect, it } from 'vitest';
import { anIncomingChat, anIncomingEvent, aRegistration, factsOf } from '../../test/factories.ts';
import { buildEnvelope } from './envelope.ts';

describe('buildEnvelope', () => {
  it('wraps the push payload in the LiveChat envelope', () => {
    const registration = aRegistration();
    const notification = anIncomingEvent();
    expect(buildEnvelope(registration, factsOf(notification))).toEqual({
      webhook_id: registration.id,
      secret_key: 'top-secret',
      action: 'incoming_event',
      organization_id: registration.organizationId,
      payload: notification.payload,
      additional_data: {},
    });
  });

  it('sends incoming_chat with the chat only', () => {
    const notification = anIncomingChat();
    const envelope = buildEnvelope(
      aRegistration({ action: 'incoming_chat' }),
      factsOf(notification),
    );
    expect(envelope.payload).toEqual({ chat: notification.payload.chat });
    expect(envelope.payload).not.toHaveProperty('requester_id');
  });

  it('adds the requested additional data', () => {
    const registration = aRegistration({
      additionalData: ['chat_properties', 'chat_presence_user_ids'],
    });
    const chat = { version: 1, properties: { source: { client_id: 'c' } }, userTypes: {} };
    expect(
      buildEnvelope(registration, factsOf(anIncomingEvent(), { chat })).additional_data,
    ).toEqual({
      chat_properties: { source: { client_id: 'c' } },
      chat_presence_user_ids: ['customer-1', 'agent@example.com'],
    });
  });

  it('takes incoming_chat properties from the chat it carries', () => {
    const registration = aRegistration({
      action: 'incoming_chat',
      additionalData: ['chat_properties'],
    });
    const envelope = buildEnvelope(registration, factsOf(anIncomingChat()));
    expect(envelope.additional_data.chat_properties).toEqual({
      source: { client_id: 'client-1' },
      routing: { continuous: false },
    });
  });
});
