import { describe, expect, it } from 'vitest';
import {
  deltasToCore,
  pushesFromCore,
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

  it('gives 3.4 the day-keyed work_scheduler of agents and bots read, alone or listed', () => {
    const workScheduler = {
      timezone: 'Europe/Warsaw',
      schedule: [
        { day: 'tuesday', enabled: false, start: '09:00', end: '17:00' },
        { day: 'friday', enabled: true, start: '07:30', end: '21:30' },
      ],
    };
    const dayKeyed = { friday: { start: '07:30', end: '21:30' } };
    for (const [one, list] of [
      ['get_agent', 'list_agents'],
      ['get_bot', 'list_bots'],
    ] as const) {
      expect(
        responseFromCore('3.4', 'configuration', one, { id: 'a', work_scheduler: workScheduler }),
      ).toEqual({ id: 'a', work_scheduler: dayKeyed });
      expect(
        responseFromCore('3.4', 'configuration', list, [
          { id: 'a', work_scheduler: workScheduler },
          { id: 'b', work_scheduler: {} },
          { id: 'c' },
        ]),
      ).toEqual([
        { id: 'a', work_scheduler: dayKeyed },
        { id: 'b', work_scheduler: {} },
        { id: 'c' },
      ]);
      for (const version of ['3.5', '3.6']) {
        expect(
          responseFromCore(version, 'configuration', list, [{ work_scheduler: workScheduler }]),
        ).toEqual([{ work_scheduler: workScheduler }]);
      }
    }
  });

  it('passes arrays and non-objects through', () => {
    expect(responseFromCore('3.5', 'agent', 'get_customer', [1])).toEqual([1]);
    expect(responseFromCore('3.7', 'agent', 'list_chats', undefined)).toBeUndefined();
  });
});

describe('pushesFromCore', () => {
  /** The payload of the single push `version` sends, or undefined when it sends none. */
  const pushOf = (version: string, api: 'agent' | 'customer', action: string, payload: unknown) => {
    const pushes = pushesFromCore(version, api, action, payload);
    expect(pushes.length).toBeLessThanOrEqual(1);
    if (pushes[0]) expect(pushes[0].action).toBe(action);
    return pushes[0]?.payload;
  };

  it('drops pushes a version lacks', () => {
    expect(pushesFromCore('3.5', 'customer', 'incoming_event_preview', {})).toEqual([]);
    expect(pushesFromCore('3.4', 'customer', 'incoming_thinking_indicator', {})).toEqual([]);
    expect(pushesFromCore('3.4', 'agent', 'groups_status_updated', {})).toEqual([]);
    expect(pushOf('3.5', 'agent', 'groups_status_updated', { groups: [] })).toEqual({
      groups: [],
    });
    expect(pushOf('3.6', 'customer', 'incoming_event_preview', { a: 1 })).toEqual({ a: 1 });
    for (const action of ['license_properties_updated', 'thread_summary_set', 'event_deleted']) {
      expect(pushesFromCore('3.5', 'agent', action, {})).toEqual([]);
      expect(pushesFromCore('3.4', 'agent', action, {})).toEqual([]);
    }
  });

  it('rewrites customers in 3.5 agent pushes', () => {
    expect(pushOf('3.5', 'agent', 'incoming_customer', { id: 'c', visit: {} })).toEqual({
      id: 'c',
      last_visit: {},
    });
    expect(pushOf('3.6', 'agent', 'incoming_customer', { id: 'c', visit: {} })).toEqual({
      id: 'c',
      visit: {},
    });
  });

  it('leaves the postback fields 3.6 added out of 3.5 and 3.4 postback pushes', () => {
    const push = {
      user_id: 'u',
      chat_id: 'C',
      postback: { id: 'yes', toggled: true, button_type: 'url', button_value: 'x', ecommerce: {} },
    };
    for (const api of ['agent', 'customer'] as const) {
      for (const version of ['3.4', '3.5']) {
        expect(pushOf(version, api, 'incoming_rich_message_postback', push)).toEqual({
          user_id: 'u',
          chat_id: 'C',
          postback: { id: 'yes', toggled: true },
        });
      }
      expect(pushOf('3.6', api, 'incoming_rich_message_postback', push)).toEqual(push);
    }
  });

  it('gives 3.4 agent and bot pushes the day-keyed work_scheduler', () => {
    const workScheduler = {
      timezone: 'Europe/Warsaw',
      schedule: [
        { day: 'monday', enabled: true, start: '08:30', end: '12:30' },
        { day: 'monday', enabled: true, start: '13:30', end: '16:30' },
        { day: 'tuesday', enabled: false, start: '09:00', end: '17:00' },
        { day: 'friday', enabled: true, start: '07:30', end: '21:30' },
      ],
    };
    for (const action of ['agent_created', 'agent_updated', 'bot_created', 'bot_updated']) {
      expect(pushOf('3.4', 'agent', action, { id: 'a', work_scheduler: workScheduler })).toEqual({
        id: 'a',
        work_scheduler: {
          monday: { start: '08:30', end: '12:30' },
          friday: { start: '07:30', end: '21:30' },
        },
      });
      expect(pushOf('3.5', 'agent', action, { id: 'a', work_scheduler: workScheduler })).toEqual({
        id: 'a',
        work_scheduler: workScheduler,
      });
      expect(pushOf('3.4', 'agent', action, { id: 'a', name: 'n' })).toEqual({
        id: 'a',
        name: 'n',
      });
    }
  });

  it('splits auto_accesses_updated into 3.4 auto_access_added, _updated and _deleted pushes', () => {
    const changes = [
      { id: 'r1', next_id: 'r2', status: 'updated' },
      { id: 'r2', description: 'Shop', access: { groups: [1] }, next_id: '', status: 'added' },
      { id: 'r3', status: 'deleted' },
    ];
    expect(pushesFromCore('3.4', 'agent', 'auto_accesses_updated', changes)).toEqual([
      { action: 'auto_access_updated', payload: { id: 'r1', next_id: 'r2' } },
      {
        action: 'auto_access_added',
        payload: { id: 'r2', description: 'Shop', access: { groups: [1] }, next_id: '' },
      },
      { action: 'auto_access_deleted', payload: { id: 'r3' } },
    ]);
    expect(pushesFromCore('3.5', 'agent', 'auto_accesses_updated', changes)).toEqual([
      { action: 'auto_accesses_updated', payload: changes },
    ]);
  });

  it('leaves is_exit_intent out of 3.4 greetings, pushed or pending at login', () => {
    const greeting = { id: 7, unique_id: 'u', is_exit_intent: false, subtype: 'greeting' };
    expect(pushOf('3.4', 'customer', 'incoming_greeting', greeting)).toEqual({
      id: 7,
      unique_id: 'u',
      subtype: 'greeting',
    });
    expect(pushOf('3.5', 'customer', 'incoming_greeting', greeting)).toEqual(greeting);
    expect(
      responseFromCore('3.4', 'customer', 'login', { greeting: { ...greeting, accepted: false } }),
    ).toEqual({ greeting: { id: 7, unique_id: 'u', subtype: 'greeting', accepted: false } });
    expect(responseFromCore('3.4', 'customer', 'login', { chats: [] })).toEqual({ chats: [] });
  });
});
