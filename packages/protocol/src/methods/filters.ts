import { z } from 'zod';

/**
 * Filter shapes shared by `list_chats` and `list_archives` (spec §5.6), and the timestamp the
 * filters and `mark_events_as_seen` take: RFC 3339 with an offset, any sub-second precision.
 */
export const timestamp = z.iso.datetime({ offset: true });

/** A property value as LiveChat types them: `int` (int32), `bool`, `string`/`tokenized_string`. */
export const propertyValue = z.union([
  z.string(),
  z.number().int().min(-2_147_483_648).max(2_147_483_647),
  z.boolean(),
]);

/** Exactly one of the keys: LiveChat allows "only one of exists/values/exclude_values". */
function exactlyOne(keys: readonly string[]) {
  return (filter: Record<string, unknown>) =>
    keys.filter((key) => filter[key] !== undefined).length === 1;
}

const oneOfMessage = { message: 'use exactly one of exists, values, exclude_values' };

/** `properties.<namespace>.<name>.{exists | values | exclude_values}` */
export const propertiesFilter = z.record(
  z.string(),
  z.record(
    z.string(),
    z
      .object({
        exists: z.boolean().optional(),
        values: z.array(propertyValue).max(100).optional(),
        exclude_values: z.array(propertyValue).max(100).optional(),
      })
      .refine(exactlyOne(['exists', 'values', 'exclude_values']), oneOfMessage),
  ),
);

/** `agents`/`tags`: `{exists | values | exclude_values, require_every_value?}`. */
export const valuesFilter = z
  .object({
    exists: z.boolean().optional(),
    values: z.array(z.string().min(1)).max(100).optional(),
    exclude_values: z.array(z.string().min(1)).max(100).optional(),
    require_every_value: z.boolean().optional(),
  })
  .refine(exactlyOne(['exists', 'values', 'exclude_values']), oneOfMessage);

/** `event_types`: `{values | exclude_values, require_every_value?}`. */
export const eventTypesFilter = z
  .object({
    values: z.array(z.string().min(1)).max(20).optional(),
    exclude_values: z.array(z.string().min(1)).max(20).optional(),
    require_every_value: z.boolean().optional(),
  })
  .refine(exactlyOne(['values', 'exclude_values']), {
    message: 'use exactly one of values, exclude_values',
  });

/** `{values | exclude_values}` of strings or of group ids. */
function includeExclude<T extends z.ZodType>(item: T) {
  return z
    .object({
      values: z.array(item).max(100).optional(),
      exclude_values: z.array(item).max(100).optional(),
    })
    .refine(exactlyOne(['values', 'exclude_values']), {
      message: 'use exactly one of values, exclude_values',
    });
}

/**
 * `agent_response`: `exists`, `first` (judge only the thread's first agent response), and who
 * answered: `agents.{values | exclude_values}`, `groups.{values | exclude_values}`.
 */
export const agentResponseFilter = z.object({
  exists: z.boolean().optional(),
  first: z.boolean().optional(),
  agents: includeExclude(z.string().min(1)).optional(),
  groups: includeExclude(z.number().int().min(0)).optional(),
});
