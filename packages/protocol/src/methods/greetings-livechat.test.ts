import { describe, expect, it } from 'vitest';
import { parsePayload } from '../catalog.ts';
import { ProtocolError } from '../errors.ts';
import { greetingDefinition } from './greeting-model.ts';
import { liveChatGreetingOf, usesLiveChatForm } from './greetings-livechat.ts';

/** LiveChat's own `create_greeting` sample, with a message instead of its `text` rich template. */
const liveChatSample = {
  type: 'normal',
  active: true,
  active_from: '2024-01-01T00:00:00Z',
  active_until: '2024-12-31T23:59:59Z',
  name: 'Welcome greeting',
  group: 0,
  rules: [
    { condition: 'and', type: 'url_current', operator: 'contains', value: 'checkout' },
    { condition: 'or', type: 'visit_time_site', operator: 'greater_than', value: '30' },
  ],
  properties: {
    addon: 'chat_widget',
    is_exit_intent: 'false',
    'greeting-message_text': 'Hello! How can I help you today?',
  },
};

/** The validation message a request gets, failing the test if it is accepted. */
function refusal(action: 'create_greeting' | 'update_greeting', payload: unknown): string {
  try {
    parsePayload(action, payload);
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).type).toBe('validation');
    return (error as ProtocolError).message;
  }
  throw new Error(`accepted: ${JSON.stringify(payload)}`);
}

const withRule = (rule: Record<string, unknown>) => ({
  ...liveChatSample,
  rules: [{ condition: 'and', ...rule }],
});

describe("create_greeting in LiveChat's form", () => {
  it('reads it into the model: type, group, rules joined one way, properties, the window', () => {
    expect(parsePayload('create_greeting', liveChatSample)).toEqual({
      name: 'Welcome greeting',
      group_id: 0,
      active: true,
      active_from: '2024-01-01T00:00:00Z',
      active_until: '2024-12-31T23:59:59Z',
      subtype: 'greeting',
      addon: 'chat_widget',
      is_exit_intent: false,
      event: { type: 'message', text: 'Hello! How can I help you today?' },
      // The first rule's condition joins it to nothing; the second's says `or`.
      rules: {
        match: 'any',
        conditions: [
          { type: 'url', operator: 'contains', value: 'checkout' },
          { type: 'time_on_site', seconds: 31 },
        ],
      },
    });
  });

  it('reads each operator of the rules Threadline can evaluate', () => {
    const cases: [Record<string, unknown>, unknown][] = [
      [
        { type: 'url_current', operator: 'doesnt_equal', value: 'https://a.test/' },
        { type: 'url', operator: 'not_equals', value: 'https://a.test/' },
      ],
      [
        { type: 'url_current', value: '/x' },
        { type: 'url', operator: 'equals', value: '/x' },
      ],
      [
        { type: 'page_title', operator: 'starts_with', value: 'Shop' },
        { type: 'page_title', operator: 'starts_with', value: 'Shop' },
      ],
      [
        { type: 'visit_time_page', operator: 'greater_or_equal', value: 15 },
        { type: 'time_on_page', seconds: 15 },
      ],
      [
        { type: 'visits_number', operator: 'equals', value: '3' },
        { type: 'visits_count', min: 3, max: 3 },
      ],
      [
        { type: 'visits_number', operator: 'greater_than', value: '1' },
        { type: 'visits_count', min: 2 },
      ],
      [
        { type: 'visits_number', operator: 'greater_or_equal', value: '0' },
        { type: 'visits_count', min: 1 },
      ],
      [
        { type: 'visits_number', operator: 'lower_than', value: '4' },
        { type: 'visits_count', max: 3 },
      ],
      [
        { type: 'visits_number', operator: 'between', value: '2-5' },
        { type: 'visits_count', min: 2, max: 5 },
      ],
    ];
    for (const [rule, condition] of cases) {
      const parsed = parsePayload('create_greeting', withRule(rule)) as {
        rules: { conditions: unknown[] };
      };
      expect(parsed.rules.conditions).toEqual([condition]);
    }
  });

  it('refuses what Threadline cannot evaluate or say, naming it', () => {
    const refused: [Record<string, unknown>, string][] = [
      [withRule({ type: 'geolocation', operator: 'equals', value: 'PL' }), 'geolocation'],
      [withRule({ type: 'url_funnel', urls: [{ url: '/a', operator: 'equals' }] }), 'url_funnel'],
      [withRule({ type: 'visit_time_page', operator: 'lower_than', value: '5' }), 'lower_than'],
      [withRule({ type: 'visits_number', operator: 'doesnt_equal', value: '2' }), 'visits_number'],
      [withRule({ type: 'url_current', operator: 'greater_than', value: '/x' }), 'greater_than'],
      [
        {
          ...liveChatSample,
          rules: [
            { condition: 'and', type: 'url_current', value: '/a' },
            { condition: 'and', type: 'url_current', value: '/b' },
            { condition: 'or', type: 'url_current', value: '/c' },
          ],
        },
        'all with and',
      ],
      [
        { ...liveChatSample, rich_message: { template_id: 'cards', elements: [{ title: 'Hi' }] } },
        'not both',
      ],
      [{ ...liveChatSample, properties: { addon: 'chat_widget' } }, 'greeting-message_text'],
      [
        {
          ...liveChatSample,
          properties: { 'greeting-message_phrase_key': 'hello', 'greeting-message_text': 'Hi' },
        },
        'translation',
      ],
      [{ ...liveChatSample, type: undefined }, 'type'],
      [{ ...liveChatSample, active_from: '2025-01-01T00:00:00Z' }, 'active_from'],
      [
        { ...liveChatSample, properties: undefined, rich_message: { template_id: 'text' } },
        'template_id',
      ],
    ];
    for (const [payload, named] of refused) {
      expect(refusal('create_greeting', payload)).toContain(named);
    }
  });

  it("keeps Threadline's earlier form, told apart from LiveChat's by LiveChat's keys", () => {
    const threadline = {
      name: 'Pricing',
      event: { type: 'message', text: 'Hi' },
      rules: { conditions: [{ type: 'url', operator: 'contains', value: '/pricing' }] },
    };
    expect(usesLiveChatForm(threadline)).toBe(false);
    expect(usesLiveChatForm(liveChatSample)).toBe(true);
    expect(usesLiveChatForm({ id: 1, active: false })).toBe(false);
    expect(parsePayload('create_greeting', threadline)).toMatchObject({
      name: 'Pricing',
      subtype: 'greeting',
      rules: { match: 'all' },
    });
  });
});

describe("update_greeting in LiveChat's form", () => {
  it('changes only what is given, a rich message among them; null clears the window', () => {
    const richMessage = {
      template_id: 'cards',
      elements: [{ title: 'Hi', buttons: [{ text: 'Go', type: 'message', postback_id: 'go' }] }],
    };
    expect(
      parsePayload('update_greeting', {
        id: 7,
        type: 'announcement',
        rich_message: richMessage,
        active_until: null,
      }),
    ).toEqual({
      id: 7,
      subtype: 'announcement',
      event: { type: 'rich_message', ...richMessage },
      active_until: null,
    });
    expect(
      parsePayload('update_greeting', { id: 7, properties: { is_exit_intent: true } }),
    ).toEqual({ id: 7, is_exit_intent: true });
    expect(
      refusal('update_greeting', { id: 7, rules: [{ condition: 'and', type: 'x' }] }),
    ).toContain('rule type x');
  });
});

describe('liveChatGreetingOf', () => {
  it("shows a greeting in LiveChat's shape that create_greeting reads back to the same greeting", () => {
    const definitions = [
      parsePayload('create_greeting', liveChatSample),
      greetingDefinition.parse({
        name: 'Everything Threadline says',
        group_id: 2,
        subtype: 'announcement',
        addon: 'campaign',
        is_exit_intent: true,
        event: {
          type: 'rich_message',
          template_id: 'quick_replies',
          elements: [{ buttons: [{ text: 'Yes', type: 'message', postback_id: 'yes' }] }],
        },
        rules: {
          match: 'all',
          conditions: [
            { type: 'page_title', operator: 'ends_with', value: 'Cart' },
            { type: 'url', operator: 'not_contains', value: '/admin' },
            { type: 'time_on_page', seconds: 20 },
            { type: 'visits_count', min: 2, max: 5 },
            { type: 'visits_count', max: 9 },
          ],
        },
      }),
    ];
    for (const definition of definitions) {
      const shown = liveChatGreetingOf(definition as never);
      expect(usesLiveChatForm(shown)).toBe(true);
      expect(parsePayload('create_greeting', shown)).toEqual(definition);
    }
    expect(liveChatGreetingOf(definitions[1] as never)).toMatchObject({
      type: 'announcement',
      group: 2,
      properties: { addon: 'campaign', is_exit_intent: 'true' },
      rich_message: { template_id: 'quick_replies' },
      rules: [
        { condition: 'and', type: 'page_title', operator: 'ends_with', value: 'Cart' },
        { condition: 'and', type: 'url_current', operator: 'doesnt_contain', value: '/admin' },
        { condition: 'and', type: 'visit_time_page', operator: 'greater_or_equal', value: '20' },
        { condition: 'and', type: 'visits_number', operator: 'between', value: '2-5' },
        { condition: 'and', type: 'visits_number', operator: 'lower_or_equal', value: '9' },
      ],
    });
  });
});
