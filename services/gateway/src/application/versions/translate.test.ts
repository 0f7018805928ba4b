import { describe, expect, it } from 'vitest';
import {
  deltasToCore,
  pushFromCore,
  requestToCore,
  responseFromCore,
  versionHasMethod,
} from './translate.ts';

describe('deltasToCore', () => {
  it('walks from a version to the core, oldest first', () => {
    expect(deltasToCore('3.4').map((delta) => delta.version)).toEqual(['3.4', '3.5']);
    expect(deltasToCore('3.5').map((delta) => delta.version)).toEqual(['3.5']);
    expect(deltasToCore('3.6')).toEqual([]);
    expect(deltasToCore('3.7').map((delta) => delta.version)).toEqual(['3.7']);
  });
});

describe('versionHasMethod', () => {
  it('refuses methods a version lacks, in it and in every older one', () => {
    expect(versionHasMethod('3.6', 'agent', 'send_thinking_indicator')).toBe(true);
    expect(versionHasMethod('3.5', 'agent', 'send_thinking_indicator')).toBe(false);
    expect(versionHasMethod('3.4', 'agent', 'request_thread_summary')).toBe(false);
    expect(versionHasMethod('3.5', 'customer', 'delete_event')).toBe(false);
    expect(versionHasMethod('3.7', 'customer', 'get_predicted_agent')).toBe(false);
    expect(versionHasMethod('3.6', 'customer', 'get_predicted_agent')).toBe(true);
  });

  it('offers legacy-only methods up to their last version', () => {
    for (const version of ['3.4', '3.5']) {
      expect(versionHasMethod(version, 'agent', 'get_license_info')).toBe(true);
      expect(versionHasMethod(version, 'agent', 'create_customer')).toBe(true);
    }
    for (const version of ['3.6', '3.7']) {
      expect(versionHasMethod(version, 'agent', 'list_customers')).toBe(false);
    }
  });
});

describe('requestToCore', () => {
  it('turns 3.5 include_active into 3.6 active, for 3.5 and 3.4 clients', () => {
    for (const version of ['3.4', '3.5']) {
      expect(
        requestToCore(version, 'agent', 'list_chats', {
          filters: { include_active: false, group_ids: [1] },
          limit: 5,
        }),
      ).toEqual({ filters: { active: false, group_ids: [1] }, limit: 5 });
      expect(
        requestToCore(version, 'agent', 'list_chats', { filters: { include_active: true } }),
      ).toEqual({ filters: {} });
    }
  });

  it('leaves core requests and other methods untouched', () => {
    const payload = { filters: { include_active: false } };
    expect(requestToCore('3.6', 'agent', 'list_chats', payload)).toBe(payload);
    expect(requestToCore('3.5', 'customer', 'list_chats', payload)).toBe(payload);
  });
});

describe('responseFromCore', () => {
  const summary = {
    id: 'C1',
    last_thread_summary: { id: 'T1', active: true },
    last_event_per_type: {
      message: {
        thread_id: 'T1',
        thread_created_at: '2026-01-01T00:00:00.000000Z',
        event: { id: 'T1_1' },
      },
    },
    users: [],
  };

  it('gives 3.7 agents chat info, with the last events inside the last thread', () => {
    for (const action of ['list_chats', 'login']) {
      expect(
        responseFromCore('3.7', 'agent', action, { chats_summary: [summary], found_chats: 1 }),
      ).toEqual({
        chats_info: [
          {
            id: 'C1',
            users: [],
            last_thread_info: {
              id: 'T1',
              active: true,
              last_event_per_type: { message: { event: { id: 'T1_1' } } },
            },
          },
        ],
        found_chats: 1,
      });
    }
    expect(responseFromCore('3.6', 'agent', 'login', { chats_summary: [summary] })).toEqual({
      chats_summary: [summary],
    });
  });

  it('names 3.7 customer chat lists chats_info', () => {
    expect(
      responseFromCore('3.7', 'customer', 'list_chats', { chats_summary: [{ id: 'C1' }] }),
    ).toEqual({ chats_info: [{ id: 'C1' }] });
  });

  it('gives 3.5 and 3.4 agents last_visit instead of visit', () => {
    const customer = { id: 'c', visit: { started_at: 'x' } };
    for (const version of ['3.4', '3.5']) {
      expect(responseFromCore(version, 'agent', 'get_customer', customer)).toEqual({
        id: 'c',
        last_visit: { started_at: 'x' },
      });
      expect(
        responseFromCore(version, 'agent', 'list_customers', { customers: [customer] }),
      ).toEqual({ customers: [{ id: 'c', last_visit: { started_at: 'x' } }] });
    }
  });

  it('flattens the 3.5 dynamic configuration', () => {
    const core = {
      organization_id: 'org',
      default_widget: 'livechat',
      livechat_active: true,
      livechat: {
        group_id: 0,
        client_limit_exceeded: false,
        domain_allowed: true,
        online_group_ids: [0],
        config_version: '1',
        localization_version: '2',
        language: 'en',
      },
    };
    expect(responseFromCore('3.5', 'customer', 'get_dynamic_configuration', core)).toEqual({
      group_id: 0,
      organization_id: 'org',
      client_limit_exceeded: false,
      domain_allowed: true,
      online_group_ids: [0],
      config_version: '1',
      localization_version: '2',
      language: 'en',
    });
  });

  it('passes arrays and non-objects through', () => {
    expect(responseFromCore('3.5', 'agent', 'get_customer', [1])).toEqual([1]);
    expect(responseFromCore('3.7', 'agent', 'list_chats', undefined)).toBeUndefined();
  });
});

describe('pushFromCore', () => {
  it('drops pushes a version lacks', () => {
    expect(pushFromCore('3.5', 'customer', 'incoming_event_preview', {})).toBeUndefined();
    expect(pushFromCore('3.4', 'customer', 'incoming_thinking_indicator', {})).toBeUndefined();
    expect(pushFromCore('3.4', 'agent', 'groups_status_updated', {})).toBeUndefined();
    expect(pushFromCore('3.5', 'agent', 'groups_status_updated', { groups: [] })).toEqual({
      groups: [],
    });
    expect(pushFromCore('3.6', 'customer', 'incoming_event_preview', { a: 1 })).toEqual({ a: 1 });
  });

  it('rewrites customers in 3.5 agent pushes', () => {
    expect(pushFromCore('3.5', 'agent', 'incoming_customer', { id: 'c', visit: {} })).toEqual({
      id: 'c',
      last_visit: {},
    });
    expect(pushFromCore('3.6', 'agent', 'incoming_customer', { id: 'c', visit: {} })).toEqual({
      id: 'c',
      visit: {},
    });
  });
});
