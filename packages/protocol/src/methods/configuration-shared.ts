import { z } from 'zod';

/**
 * Building blocks of the Configuration API's request schemas (agents, bots, groups). Field names
 * are LiveChat's; values Threadline cannot store are refused here, at the edge.
 */
export const agentId = z.string().min(1).max(254);
export const groupId = z.number().int().min(0);
export const groupIds = z.array(groupId).max(500);
export const groupPriority = z.enum(['first', 'normal', 'last', 'supervisor']);
export const agentGroups = z.array(z.object({ id: groupId, priority: groupPriority })).max(500);
/** Threadline's cap on concurrent chats (spec preface: default 6, at most 99). */
export const maxChatsCount = z.number().int().min(0).max(99);
export const ownerClientId = z.string().min(1).max(64);
export const labels = z.array(z.string().min(1).max(64)).max(50);

const weekdays = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const;
const clockTime = z.string().regex(/^\d{2}:\d{2}$/, 'expected HH:MM');
const schedule = z
  .array(
    z.object({ day: z.enum(weekdays), enabled: z.boolean(), start: clockTime, end: clockTime }),
  )
  .max(70);

/**
 * `{timezone, schedule:[{day, enabled, start, end}]}`. Clients of older versions (and LiveChat's
 * own update sample) send `{monday:{start,end}, …}`; that form is read as enabled days.
 */
export const workScheduler = z.union([
  z.object({ timezone: z.string().max(64).optional(), schedule: schedule.optional() }).strict(),
  z
    .partialRecord(z.enum(weekdays), z.object({ start: clockTime, end: clockTime }))
    .transform((days) => ({
      schedule: Object.entries(days).map(([day, hours]) => ({
        day: day as (typeof weekdays)[number],
        enabled: true,
        start: hours.start,
        end: hours.end,
      })),
    })),
]);

/** `fields` of get/list methods: extra fields to include, from a fixed list. */
export function fields<const Names extends readonly [string, ...string[]]>(names: Names) {
  return z.array(z.enum(names)).max(names.length * 2);
}

/**
 * A `batch_*` method: `{requests:[…]}`, each item validated against the single method's schema
 * when it runs, so one bad item is one error envelope in `responses`, not a failed batch.
 */
export const batchRequests = z.object({ requests: z.array(z.unknown()).min(1).max(100) });
