import { z } from 'zod';
import { agentId, groupId } from './configuration-shared.ts';
import { timestamp } from './filters.ts';
import { properties } from './shared.ts';

/**
 * Threadline's model of a greeting campaign, and the request form the Configuration API's greeting
 * methods took before LiveChat published its own (3.6), which they still take: the methods
 * (`configuration-greetings.ts`) also take LiveChat's form (`greetings-livechat.ts`), translated
 * into this model. What customers receive (`incoming_greeting`) is LiveChat's push.
 */

/** Threadline's cap on greetings per organization. */
export const maxGreetingsPerOrganization = 500;

export const greetingId = z.number().int().min(1);
const textOperator = z.enum([
  'equals',
  'not_equals',
  'contains',
  'not_contains',
  'starts_with',
  'ends_with',
]);
const seconds = z
  .number()
  .int()
  .min(0)
  .max(24 * 3600);

/**
 * One targeting condition. Text conditions compare case-insensitively; `time_on_page` and
 * `time_on_site` are minimums; `visits_count` counts this visit too (the first visit is 1).
 */
export const greetingCondition = z.discriminatedUnion('type', [
  z.object({
    type: z.enum(['url', 'page_title']),
    operator: textOperator,
    value: z.string().min(1).max(2048),
  }),
  z.object({ type: z.enum(['time_on_page', 'time_on_site']), seconds }),
  z
    .object({
      type: z.literal('visits_count'),
      min: z.number().int().min(1).optional(),
      max: z.number().int().min(1).optional(),
    })
    .refine((rule) => rule.min !== undefined || rule.max !== undefined, 'min or max is required'),
]);
export type GreetingCondition = z.infer<typeof greetingCondition>;

/** `all` conditions must hold, or `any` one of them; no conditions means every page. */
export const greetingRules = z.object({
  match: z.enum(['all', 'any']).default('all'),
  conditions: z.array(greetingCondition).max(20).default([]),
});
export type GreetingRules = z.infer<typeof greetingRules>;

const button = z
  .object({
    text: z.string().min(1).max(256),
    type: z.enum(['webview', 'message', 'url', 'phone']),
    value: z.string().max(2048).optional(),
    postback_id: z.string().min(1).max(128),
  })
  .loose();
const element = z
  .object({
    title: z.string().max(1024).optional(),
    subtitle: z.string().max(1024).optional(),
    buttons: z.array(button).max(13).optional(),
  })
  .loose();

/**
 * What the agent says: a message or a rich message, as the protocol's events (spec §5.5). A rich
 * message's buttons need a `postback_id`: it is the `button_id` of `send_greeting_button_clicked`.
 */
export const greetingEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('message'),
    text: z.string().min(1).max(16_384),
    properties: properties.optional(),
  }),
  z.object({
    type: z.literal('rich_message'),
    template_id: z.enum(['cards', 'sticker', 'quick_replies']),
    elements: z.array(element).min(1).max(10),
    properties: properties.optional(),
  }),
]);
export type GreetingEvent = z.infer<typeof greetingEvent>;

const greetingFields = {
  name: z.string().trim().min(1).max(255),
  group_id: groupId,
  active: z.boolean(),
  subtype: z.enum(['greeting', 'announcement']),
  /** The agent shown as the author; without one, the group's predicted agent. */
  agent_id: agentId,
  addon: z.string().min(1).max(64),
  is_exit_intent: z.boolean(),
  event: greetingEvent,
  rules: greetingRules,
  /** When the greeting may first and last be shown (RFC 3339); `active` still has to be true. */
  active_from: timestamp,
  active_until: timestamp,
};

/** `active_from` must come before `active_until`. */
function orderedWindow(greeting: { active_from?: string | null; active_until?: string | null }) {
  const { active_from: from, active_until: until } = greeting;
  return !from || !until || Date.parse(from) < Date.parse(until);
}
const windowMessage = {
  message: 'active_from must be before active_until',
  path: ['active_until'],
};

/** A new greeting: `name` and `event` are required, the rest has defaults. */
export const greetingDefinition = z
  .object({
    ...greetingFields,
    group_id: groupId.default(0),
    active: z.boolean().default(true),
    subtype: greetingFields.subtype.default('greeting'),
    agent_id: agentId.optional(),
    addon: greetingFields.addon.optional(),
    is_exit_intent: z.boolean().default(false),
    rules: greetingRules.default({ match: 'all', conditions: [] }),
    active_from: timestamp.optional(),
    active_until: timestamp.optional(),
  })
  .refine(orderedWindow, windowMessage);
export type GreetingDefinition = z.infer<typeof greetingDefinition>;

/**
 * A change: the given fields replace the stored ones; `null` clears the agent and the active
 * window's ends.
 */
const greetingChangeFields = z.object(greetingFields).partial().extend({
  agent_id: agentId.nullable().optional(),
  active_from: timestamp.nullable().optional(),
  active_until: timestamp.nullable().optional(),
});
export const greetingChanges = greetingChangeFields.refine(orderedWindow, windowMessage);
export type GreetingChanges = z.infer<typeof greetingChanges>;

/** `update_greeting`: the greeting's `id` and its changes. */
export const greetingUpdate = greetingChangeFields
  .extend({ id: greetingId })
  .refine(orderedWindow, windowMessage);
