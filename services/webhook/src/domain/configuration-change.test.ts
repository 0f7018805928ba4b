import { describe, expect, it } from 'vitest';
import { aRegistration, organizationId } from '../../test/factories.ts';
import {
  type ConfigurationChangeFacts,
  changeSourceType,
  chatIdOf,
  isConfigurationWebhookAction,
  planConfigurationDeliveries,
} from './configuration-change.ts';

function aChange(overrides: Partial<ConfigurationChangeFacts> = {}): ConfigurationChangeFacts {
  return {
    organizationId,
    action: 'agent_created',
    payload: { id: 'new@example.com', name: 'New' },
    requester: { userId: 'owner@example.com', userType: 'agent' },
    requesterClientId: 'client-1',
    requesterAccountId: 'acc-1',
    ...overrides,
  };
}

const enabled = new Set(['client-1', 'client-2']);

describe('configuration webhooks', () => {
  it('knows exactly the configuration actions', () => {
    for (const action of ['agent_created', 'bot_deleted', 'tag_updated', 'auto_accesses_updated']) {
      expect(isConfigurationWebhookAction(action)).toBe(true);
    }
    expect(isConfigurationWebhookAction('incoming_event')).toBe(false);
    expect(isConfigurationWebhookAction('license_properties_updated')).toBe(false);
  });

  it('builds the envelope with the push payload and the requester', () => {
    const registration = aRegistration({ action: 'agent_created' });
    const [planned, ...rest] = planConfigurationDeliveries({
      change: aChange(),
      registrations: [registration],
      enabledLicenseOwners: enabled,
    });
    expect(rest).toHaveLength(0);
    expect(planned!.envelope).toEqual({
      webhook_id: registration.id,
      secret_key: 'top-secret',
      action: 'agent_created',
      organization_id: organizationId,
      payload: { id: 'new@example.com', name: 'New' },
      additional_data: {},
      requester: { user_id: 'owner@example.com', account_id: 'acc-1', client_id: 'client-1' },
    });
  });

  it('skips other actions, other organizations, and license owners that did not enable webhooks', () => {
    const planned = planConfigurationDeliveries({
      change: aChange(),
      registrations: [
        aRegistration({ id: 'a', action: 'agent_deleted' }),
        aRegistration({ id: 'b', action: 'agent_created', organizationId: 'other' }),
        aRegistration({ id: 'c', action: 'agent_created', ownerClientId: 'disabled' }),
        aRegistration({ id: 'd', action: 'agent_created', ownerClientId: 'disabled', type: 'bot' }),
      ],
      enabledLicenseOwners: enabled,
    });
    expect(planned.map((p) => p.registration.id)).toEqual(['d']);
  });

  it("sends the router's routing_status_set to the registrations whose agent_ids hold", () => {
    expect(isConfigurationWebhookAction('routing_status_set')).toBe(true);
    const planned = planConfigurationDeliveries({
      change: aChange({
        action: 'routing_status_set',
        payload: { agent_id: 'ann@example.com', status: 'accepting_chats' },
        requester: { userId: 'router', userType: 'system' },
        requesterClientId: '',
      }),
      registrations: [
        aRegistration({ id: 'any', action: 'routing_status_set' }),
        aRegistration({
          id: 'ann',
          action: 'routing_status_set',
          filters: { agent_ids: ['ann@example.com'] },
          additionalData: ['chat_properties'],
        }),
        aRegistration({
          id: 'bob',
          action: 'routing_status_set',
          filters: { agent_ids: ['bob@example.com'] },
        }),
        aRegistration({
          id: 'mine',
          action: 'routing_status_set',
          filters: { source_type: ['my_client'] },
        }),
      ],
      enabledLicenseOwners: enabled,
    });
    expect(planned.map((p) => p.registration.id)).toEqual(['any', 'ann']);
    expect(planned[1]!.envelope).toMatchObject({
      action: 'routing_status_set',
      payload: { agent_id: 'ann@example.com', status: 'accepting_chats' },
      additional_data: {},
    });
  });

  it("sends 3.5's incoming_customer to 3.5 registrations, with the customer's last_visit", () => {
    const customer = { id: 'c-1', type: 'customer', visit: { started_at: 'T', last_pages: [] } };
    const planned = planConfigurationDeliveries({
      change: aChange({ action: 'incoming_customer', payload: customer }),
      registrations: [aRegistration({ action: 'incoming_customer', apiVersion: '3.5' })],
      enabledLicenseOwners: enabled,
    });
    expect(planned.map((p) => p.envelope.payload)).toEqual([
      { id: 'c-1', type: 'customer', last_visit: { started_at: 'T', last_pages: [] } },
    ]);
  });

  it('sends nothing for an action that is not a configuration webhook', () => {
    const planned = planConfigurationDeliveries({
      change: aChange({ action: 'incoming_event' }),
      registrations: [aRegistration({ action: 'incoming_event' })],
      enabledLicenseOwners: enabled,
    });
    expect(planned).toEqual([]);
  });

  it('tells my_client, other_clients and system apart for source_type', () => {
    expect(changeSourceType(aChange(), 'client-1')).toBe('my_client');
    expect(changeSourceType(aChange(), 'client-2')).toBe('other_clients');
    expect(changeSourceType(aChange({ requesterClientId: '' }), '')).toBe('other_clients');
    expect(
      changeSourceType(aChange({ requester: { userId: '', userType: 'system' } }), 'client-2'),
    ).toBe('system');
    const planned = planConfigurationDeliveries({
      change: aChange(),
      registrations: [
        aRegistration({
          id: 'mine',
          action: 'agent_created',
          filters: { source_type: ['my_client'] },
        }),
        aRegistration({
          id: 'others',
          action: 'agent_created',
          ownerClientId: 'client-2',
          filters: { source_type: ['other_clients'] },
        }),
        aRegistration({
          id: 'not-mine',
          action: 'agent_created',
          filters: { source_type: ['other_clients', 'system'] },
        }),
      ],
      enabledLicenseOwners: enabled,
    });
    expect(planned.map((p) => p.registration.id)).toEqual(['mine', 'others']);
  });

  it('sends each registration the change as its API version names it, one webhook per 3.4 rule', () => {
    const rules = [
      { id: 'r1', next_id: 'r2', status: 'updated' },
      { id: 'r2', access: { groups: [1] }, next_id: 'r3', status: 'added' },
      { id: 'r3', access: { groups: [2] }, next_id: '', status: 'added' },
    ];
    const planned = planConfigurationDeliveries({
      change: aChange({ action: 'auto_accesses_updated', payload: rules }),
      registrations: [
        aRegistration({ id: 'added', action: 'auto_access_added', apiVersion: '3.4' }),
        aRegistration({ id: 'deleted', action: 'auto_access_deleted', apiVersion: '3.4' }),
        aRegistration({ id: 'gathered', action: 'auto_accesses_updated', apiVersion: '3.5' }),
      ],
      enabledLicenseOwners: enabled,
    });
    expect(
      planned.map((p) => [
        p.registration.id,
        p.webhookIndex,
        p.envelope.action,
        p.envelope.payload,
      ]),
    ).toEqual([
      ['added', 0, 'auto_access_added', { id: 'r2', access: { groups: [1] }, next_id: 'r3' }],
      ['added', 1, 'auto_access_added', { id: 'r3', access: { groups: [2] }, next_id: '' }],
      ['gathered', 0, 'auto_accesses_updated', rules],
    ]);
  });

  it('sends customer_session_fields_updated with chat_presence and the chat additional data', () => {
    const change = aChange({
      action: 'customer_session_fields_updated',
      payload: {
        id: 'customer-1',
        active_chat: { chat_id: 'PJ0MRSHTDG', thread_id: 'K600PKZON8' },
        session_fields: [{ plan: 'gold' }],
      },
      requester: { userId: 'customer-1', userType: 'customer' },
    });
    expect(chatIdOf(change)).toBe('PJ0MRSHTDG');
    expect(chatIdOf(aChange())).toBeUndefined();
    const chat = {
      version: 3,
      properties: { routing: { continuous: true } },
      userTypes: { 'customer-1': 'customer', 'agent@example.com': 'agent' } as const,
    };
    const action = 'customer_session_fields_updated';
    const planned = planConfigurationDeliveries({
      change,
      chat,
      registrations: [
        aRegistration({
          id: 'present',
          action,
          filters: { chat_presence: { user_ids: { values: ['agent@example.com'] } } },
          additionalData: ['chat_presence_user_ids', 'chat_properties'],
        }),
        aRegistration({
          id: 'absent',
          action,
          filters: { chat_presence: { user_ids: { values: ['other@example.com'] } } },
        }),
      ],
      enabledLicenseOwners: enabled,
    });
    expect(planned.map((p) => p.registration.id)).toEqual(['present']);
    expect(planned[0]!.envelope).toMatchObject({
      action,
      payload: change.payload,
      additional_data: {
        chat_presence_user_ids: ['customer-1', 'agent@example.com'],
        chat_properties: { routing: { continuous: true } },
      },
      requester: { user_id: 'customer-1' },
    });
  });
});
