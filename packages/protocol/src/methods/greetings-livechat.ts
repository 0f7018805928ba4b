import { z } from 'zod';
import { agentId, groupId, groupIds } from './configuration-shared.ts';
import { timestamp } from './filters.ts';
import {
  type GreetingCondition,
  type GreetingDefinition,
  type GreetingRules,
  greetingDefinition,
  greetingId,
  greetingUpdate,
} from './greeting-model.ts';

/**
 * LiveChat's greeting form (Configuration API 3.6 "Greetings") and its translation to and from
 * Threadline's model (`greeting-model.ts`). Where LiveChat's form says what Threadline cannot do,
 * the request is refused (`validation`) rather than stored and ignored; where Threadline's model
 * says what LiveChat's rules cannot, answers use Threadline's additions (`page_title` rules, the
 * operators `starts_with`, `ends_with` and `between`), which requests take back.
 */

/** Keys only LiveChat's form has: a request with any of them (or a `rules` array) is LiveChat's. */
const liveChatOnlyKeys = ['type', 'group', 'properties', 'rich_message'];

export function usesLiveChatForm(payload: unknown): boolean {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return false;
  return (
    liveChatOnlyKeys.some((key) => key in payload) ||
    Array.isArray((payload as { rules?: unknown }).rules)
  );
}

/** `urls` and `session_field` belong to rule types Threadline refuses, so they are not read. */
const liveChatRule = z
  .object({
    condition: z.enum(['and', 'or']),
    type: z.string().min(1),
    operator: z.string().optional(),
    value: z.union([z.string().max(2048), z.number()]).optional(),
  })
  .loose();
type LiveChatRule = z.infer<typeof liveChatRule>;

const unsupportedKey = (message: string) => z.never({ message }).optional();

const liveChatProperties = z.strictObject({
  addon: z.string().min(1).max(64).optional(),
  // LiveChat's sample sends "true"/"false"; a boolean is read too.
  is_exit_intent: z
    .union([z.boolean(), z.enum(['true', 'false']).transform((flag) => flag === 'true')])
    .optional(),
  'greeting-message_text': z.string().min(1).max(16_384).optional(),
  'greeting-message_json_key': unsupportedKey(
    'Threadline has no translation keys: give greeting-message_text',
  ),
  'greeting-message_phrase_key': unsupportedKey(
    'Threadline has no translation phrases: give greeting-message_text',
  ),
});

const liveChatRichMessage = z
  .object({ template_id: z.string(), elements: z.array(z.unknown()).optional() })
  .loose();

/** Every field of LiveChat's form, each optional (create requires some below). */
const liveChatFields = z.object({
  type: z.enum(['normal', 'announcement']).optional(),
  active: z.boolean().optional(),
  active_from: timestamp.nullable().optional(),
  active_until: timestamp.nullable().optional(),
  name: z.string().optional(),
  group: groupId.optional(),
  rules: z.array(liveChatRule).max(10).optional(),
  properties: liveChatProperties.optional(),
  rich_message: liveChatRichMessage.optional(),
  /** Threadline's addition: the agent who greets (without one, the group's predicted agent). */
  agent_id: agentId.nullable().optional(),
});
type LiveChatFields = z.infer<typeof liveChatFields>;

/** `create_greeting` in LiveChat's form: `type`, `active`, `name`, `group` and `rules` required. */
export const liveChatGreeting = liveChatFields
  .required({ type: true, active: true, name: true, group: true, rules: true })
  .transform((greeting, ctx) => {
    const fields = modelFields(greeting, ctx);
    if (!fields.event) {
      ctx.addIssue({
        code: 'custom',
        message: 'properties.greeting-message_text or rich_message is required',
        path: ['properties'],
      });
    }
    return fields;
  })
  .pipe(greetingDefinition);

/** `update_greeting` in LiveChat's form: the given fields change; `null` clears Threadline's. */
export const liveChatGreetingChanges = liveChatFields
  .extend({ id: greetingId })
  .transform((greeting, ctx) => ({ id: greeting.id, ...modelFields(greeting, ctx) }))
  .pipe(greetingUpdate);

/** `list_greetings`: LiveChat's group filter and paging (at most 100 a page, 100 unless told). */
export const liveChatGreetingsList = z.object({
  groups: groupIds.optional(),
  limit: z.number().int().min(1).max(100).optional(),
  page_id: z.string().min(1).optional(),
});

/** The model's fields a LiveChat-form request gives. */
function modelFields(greeting: LiveChatFields, ctx: z.RefinementCtx): Record<string, unknown> {
  const properties = greeting.properties ?? {};
  const text = properties['greeting-message_text'];
  if (text !== undefined && greeting.rich_message) {
    ctx.addIssue({
      code: 'custom',
      message: 'Threadline greets with a message or a rich message, not both',
      path: ['rich_message'],
    });
  }
  const given = {
    name: greeting.name,
    group_id: greeting.group,
    active: greeting.active,
    active_from: greeting.active_from,
    active_until: greeting.active_until,
    agent_id: greeting.agent_id,
    subtype: greeting.type && (greeting.type === 'normal' ? 'greeting' : 'announcement'),
    addon: properties.addon,
    is_exit_intent: properties.is_exit_intent,
    rules: greeting.rules && rulesOf(greeting.rules, ctx),
    event:
      text !== undefined
        ? { type: 'message', text }
        : greeting.rich_message && { type: 'rich_message', ...greeting.rich_message },
  };
  return Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
}

/**
 * Threadline joins a greeting's rules one way, all with `and` or all with `or`. A rule's
 * `condition` joins it to the rules before it, so the first rule's joins nothing and only a
 * greeting of one rule is told by it.
 */
function rulesOf(rules: readonly LiveChatRule[], ctx: z.RefinementCtx): GreetingRules {
  const joins = new Set(rules.slice(rules.length > 1 ? 1 : 0).map((rule) => rule.condition));
  if (joins.size > 1) {
    ctx.addIssue({
      code: 'custom',
      message: "Threadline joins a greeting's rules all with and, or all with or",
      path: ['rules'],
    });
  }
  const conditions = rules.flatMap((rule, index) => {
    const condition = conditionOf(rule);
    if (typeof condition !== 'string') return [condition];
    ctx.addIssue({ code: 'custom', message: condition, path: ['rules', index] });
    return [];
  });
  return { match: joins.has('or') ? 'any' : 'all', conditions };
}

type TextOperator = Extract<GreetingCondition, { operator: unknown }>['operator'];

const textOperators: Record<string, TextOperator> = {
  equals: 'equals',
  doesnt_equal: 'not_equals',
  contains: 'contains',
  doesnt_contain: 'not_contains',
  starts_with: 'starts_with',
  ends_with: 'ends_with',
};
const textRuleTypes: Record<string, 'url' | 'page_title'> = {
  url_current: 'url',
  page_title: 'page_title',
};
const timeRuleTypes: Record<string, 'time_on_page' | 'time_on_site'> = {
  visit_time_page: 'time_on_page',
  visit_time_site: 'time_on_site',
};

/** One LiveChat rule as a Threadline condition, or why Threadline cannot evaluate it. */
function conditionOf(rule: LiveChatRule): GreetingCondition | string {
  // LiveChat: "The default value for operator is equals".
  const operator = rule.operator ?? 'equals';
  const value = rule.value === undefined ? '' : String(rule.value);
  const textType = textRuleTypes[rule.type];
  if (textType) {
    const textOperator = textOperators[operator];
    if (!textOperator) return `${rule.type} cannot be compared with ${operator}`;
    return { type: textType, operator: textOperator, value };
  }
  const timeType = timeRuleTypes[rule.type];
  if (timeType) {
    const least = atLeast(operator, value);
    if (least === undefined) {
      return `${rule.type} ${operator} ${value}: a greeting is shown once a time has passed (greater_than or greater_or_equal, whole seconds)`;
    }
    return { type: timeType, seconds: least };
  }
  if (rule.type === 'visits_number') return visitsCondition(operator, value);
  return `rule type ${rule.type} is not supported: Threadline knows the page's URL and title, the time on the page and on the site, and the number of visits`;
}

/** `greater_than n` and `greater_or_equal n` of whole numbers, as the least value that holds. */
function atLeast(operator: string, value: string): number | undefined {
  const number = wholeNumber(value);
  if (number === undefined) return undefined;
  if (operator === 'greater_or_equal') return number;
  return operator === 'greater_than' ? number + 1 : undefined;
}

function visitsCondition(operator: string, value: string): GreetingCondition | string {
  const range = /^(\d+)-(\d+)$/.exec(value);
  if (operator === 'between' && range) {
    return { type: 'visits_count', min: Number(range[1]), max: Number(range[2]) };
  }
  const number = wholeNumber(value);
  const bounds: Record<string, { min?: number; max?: number }> =
    number === undefined
      ? {}
      : {
          equals: { min: number, max: number },
          greater_or_equal: { min: number },
          greater_than: { min: number + 1 },
          lower_or_equal: { max: number },
          lower_than: { max: number - 1 },
        };
  const chosen = bounds[operator];
  if (!chosen) {
    return 'visits_number takes equals, greater_than, greater_or_equal, lower_than, lower_or_equal (or between "min-max") and a whole number';
  }
  // Every visit is at least the first: a lower bound under 1 bounds nothing.
  const min = chosen.min === undefined ? undefined : Math.max(1, chosen.min);
  return {
    type: 'visits_count',
    ...(min === undefined ? {} : { min }),
    ...(chosen.max === undefined ? {} : { max: chosen.max }),
  };
}

function wholeNumber(value: string): number | undefined {
  return /^\d+$/.test(value.trim()) ? Number(value) : undefined;
}

/**
 * A greeting as LiveChat's `get_greeting` shows it: `type`, `active`, the active window, `name`,
 * `group`, one rule per condition, `properties` (`addon`, `is_exit_intent`, the message's text)
 * and a rich message's `rich_message`.
 */
export function liveChatGreetingOf(definition: GreetingDefinition): Record<string, unknown> {
  const { event } = definition;
  const condition = definition.rules.match === 'any' ? 'or' : 'and';
  return {
    type: definition.subtype === 'greeting' ? 'normal' : 'announcement',
    active: definition.active,
    ...(definition.active_from ? { active_from: definition.active_from } : {}),
    ...(definition.active_until ? { active_until: definition.active_until } : {}),
    name: definition.name,
    group: definition.group_id,
    rules: definition.rules.conditions.map((rule) => ({ condition, ...ruleOf(rule) })),
    properties: {
      ...(definition.addon !== undefined ? { addon: definition.addon } : {}),
      is_exit_intent: String(definition.is_exit_intent),
      ...(event.type === 'message' ? { 'greeting-message_text': event.text } : {}),
    },
    ...(event.type === 'rich_message'
      ? { rich_message: { template_id: event.template_id, elements: event.elements } }
      : {}),
  };
}

const liveChatTextOperators: Record<TextOperator, string> = {
  equals: 'equals',
  not_equals: 'doesnt_equal',
  contains: 'contains',
  not_contains: 'doesnt_contain',
  starts_with: 'starts_with',
  ends_with: 'ends_with',
};

function ruleOf(condition: GreetingCondition): { type: string; operator: string; value: string } {
  switch (condition.type) {
    case 'url':
    case 'page_title':
      return {
        type: condition.type === 'url' ? 'url_current' : 'page_title',
        operator: liveChatTextOperators[condition.operator],
        value: condition.value,
      };
    case 'time_on_page':
    case 'time_on_site':
      return {
        type: condition.type === 'time_on_page' ? 'visit_time_page' : 'visit_time_site',
        operator: 'greater_or_equal',
        value: String(condition.seconds),
      };
    case 'visits_count':
      return { type: 'visits_number', ...visitsRule(condition) };
    default: {
      const unknown: never = condition;
      throw new Error(`Unknown greeting condition ${JSON.stringify(unknown)}`);
    }
  }
}

function visitsRule({ min, max }: { min?: number | undefined; max?: number | undefined }) {
  if (min !== undefined && max !== undefined) {
    return min === max
      ? { operator: 'equals', value: String(min) }
      : { operator: 'between', value: `${min}-${max}` };
  }
  return min !== undefined
    ? { operator: 'greater_or_equal', value: String(min) }
    : { operator: 'lower_or_equal', value: String(max) };
}
