import { describe, expect, it } from 'vitest';
import { anIncomingChat, anIncomingEvent, aRegistration } from '../../test/factories.ts';
import { planDeliveries, presentUserIds, webhookActionsOf, webhookView } from './fan-out.ts';

const customer = { userId: 'customer-1', userType: 'customer' };
const typing = { action: 'incoming_typing_indicator', payload: {}, recipientUserIds: [] };

describe('planDeliveries', () => {
  it('sends license webhooks only for owners that enabled them', () => {
    const enabled = aRegistration({ id: 'a'.repeat(32), ownerClientId: 'on' });
    const disabled = aRegistration({ id: 'b'.repeat(32), ownerClientId: 'off' });
    const plan = planDeliveries({
      batch: { version: 2, requester: customer, notifications: [anIncomingEvent()] },
      snapshot: undefined,
      registrations: [enabled, disabled],
      enabledLicenseOwners: new Set(['on']),
    });
    expect(plan.deliveries.map((d) => d.registration.id)).toEqual([enabled.id]);
  });

  it('sends bot webhooks without the license switch', () => {
    const plan = planDeliveries({
      batch: { version: 2, requester: customer, notifications: [anIncomingEvent()] },
      snapshot: undefined,
      registrations: [aRegistration({ type: 'bot' })],
      enabledLicenseOwners: new Set(),
    });
    expect(plan.deliveries).toHaveLength(1);
  });

  it('names each delivery by its notification position and filters with the folded chat', () => {
    const mine = aRegistration({ filters: { only_my_chats: true } });
    const plan = planDeliveries({
      batch: {
        version: 1,
        requester: customer,
        notifications: [anIncomingChat(), typing, anIncomingEvent()],
      },
      snapshot: undefined,
      registrations: [mine],
      enabledLicenseOwners: new Set(['client-1']),
    });
    expect(plan.deliveries.map((d) => d.notificationIndex)).toEqual([2]);
    expect(plan.snapshot?.properties?.source).toEqual({ client_id: 'client-1' });
  });

  it("sends each registration the notification in its API version's shape", () => {
    const postback = {
      action: 'incoming_rich_message_postback',
      payload: {
        user_id: 'customer-1',
        chat_id: 'PJ0MRSHTDG',
        postback: { id: 'yes', toggled: true, button_type: 'url', button_value: 'x' },
      },
      recipientUserIds: ['customer-1'],
    };
    const registrations = ['3.5', '3.6'].map((apiVersion, index) =>
      aRegistration({ id: String(index).repeat(32), action: postback.action, apiVersion }),
    );
    const plan = planDeliveries({
      batch: { version: 2, requester: customer, notifications: [postback] },
      snapshot: undefined,
      registrations,
      enabledLicenseOwners: new Set(['client-1']),
    });
    expect(plan.deliveries.map((d) => d.envelope.payload)).toEqual([
      { ...postback.payload, postback: { id: 'yes', toggled: true } },
      postback.payload,
    ]);
  });

  it('ignores notifications that are not webhook actions', () => {
    expect(webhookActionsOf([typing, anIncomingEvent(), anIncomingEvent()])).toEqual([
      'incoming_event',
    ]);
  });
});

describe('webhookView', () => {
  it('turns an assignment into one user_added_to_chat for everyone present', () => {
    const assignedPush = { ...anIncomingChat(), recipientUserIds: ['agent@example.com'] };
    const userAdded = {
      action: 'user_added_to_chat',
      payload: {
        chat_id: 'PJ0MRSHTDG',
        thread_id: 'K600PKZON8',
        user: { id: 'agent@example.com', type: 'agent', present: true },
        reason: 'assigned',
      },
      recipientUserIds: ['customer-1'],
    };
    const systemMessage = anIncomingEvent('x', { author_id: undefined, type: 'system_message' });
    const view = webhookView([assignedPush, userAdded, systemMessage]);
    expect(view.map((v) => [v.notification.action, v.notificationIndex])).toEqual([
      ['user_added_to_chat', 1],
      ['incoming_event', 2],
    ]);
    expect(view[0]!.notification.recipientUserIds.sort()).toEqual([
      'agent@example.com',
      'customer-1',
    ]);
  });

  it('counts the added user as present in a batch as stored, without the push to them', () => {
    const botAdded = {
      action: 'user_added_to_chat',
      payload: {
        chat_id: 'PJ0MRSHTDG',
        thread_id: 'K600PKZON8',
        user: { id: 'bot-1', type: 'agent', present: true },
        reason: 'assigned',
      },
      recipientUserIds: ['customer-1'],
    };
    const [view] = webhookView([botAdded]);
    expect(view!.notification.recipientUserIds.sort()).toEqual(['bot-1', 'customer-1']);
    const plan = planDeliveries({
      batch: { version: 3, requester: customer, notifications: [botAdded] },
      snapshot: undefined,
      registrations: [
        aRegistration({
          type: 'bot',
          action: 'user_added_to_chat',
          filters: { chat_presence: { user_ids: { values: ['bot-1'] } } },
        }),
      ],
      enabledLicenseOwners: new Set(),
    });
    expect(plan.deliveries).toHaveLength(1);
  });

  it("fires a my_bots webhook for the assignment of the owner's bot, with the bot present", () => {
    const botAdded = {
      action: 'user_added_to_chat',
      payload: { chat_id: 'PJ0MRSHTDG', user: { id: 'bot-1', type: 'agent' }, reason: 'assigned' },
      recipientUserIds: ['customer-1'],
    };
    expect(presentUserIds([botAdded, anIncomingEvent()]).sort()).toEqual([
      'agent@example.com',
      'bot-1',
      'customer-1',
    ]);
    const plan = (botOwners: Map<string, string>) =>
      planDeliveries({
        batch: { version: 3, requester: customer, notifications: [botAdded] },
        snapshot: undefined,
        registrations: [
          aRegistration({
            type: 'bot',
            action: 'user_added_to_chat',
            filters: { chat_presence: { my_bots: true } },
          }),
        ],
        enabledLicenseOwners: new Set(),
        botOwners,
      }).deliveries;
    expect(plan(new Map([['bot-1', 'client-1']]))).toHaveLength(1);
    expect(plan(new Map([['bot-1', 'another-client']]))).toHaveLength(0);
  });

  it('keeps the incoming_chat of a new thread', () => {
    expect(webhookView([anIncomingChat(), typing]).map((v) => v.notification.action)).toEqual([
      'incoming_chat',
    ]);
  });
});
