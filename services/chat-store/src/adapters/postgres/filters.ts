import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { ArchiveFilters, ChatScope, PropertiesFilter } from '../../application/read-model.ts';

/**
 * SQL conditions on the `chats` and `threads` projection tables, with qualified column names so
 * they fit a query on chats alone (`list_chats`) and one joining threads to chats
 * (`list_archives`).
 */
type Condition = RawBuilder<SqlBool>;

/** The chats a reader may see (see `canSeeChat`). */
export function scopeCondition(scope: ChatScope): Condition | undefined {
  switch (scope.type) {
    case 'customer':
      return sql<SqlBool>`chats.customer_id = ${scope.customerId}`;
    case 'agent':
      return sql<SqlBool>`(chats.access_group_ids && ${scope.groupIds}::integer[] OR EXISTS (
        SELECT 1 FROM chat_users
        WHERE chat_users.organization_id = chats.organization_id
          AND chat_users.chat_id = chats.id AND chat_users.user_id = ${scope.agentId}))`;
    case 'system':
      return undefined;
  }
}

/**
 * `properties.<ns>.<name>`: `exists`, or the value among (`values`) or not among
 * (`exclude_values`) the given ones. A JSON array contains a scalar that is one of its elements,
 * so `values @> property` compares with JSON types (1 is not "1").
 */
export function propertiesConditions(
  filter: PropertiesFilter,
  column = sql.ref('chats.properties'),
) {
  return Object.entries(filter).flatMap(([namespace, names]) =>
    Object.entries(names).map(([name, condition]): Condition => {
      const value = sql`(${column} -> ${namespace}::text -> ${name}::text)`;
      if (condition.exists !== undefined) {
        return condition.exists
          ? sql<SqlBool>`${value} IS NOT NULL`
          : sql<SqlBool>`${value} IS NULL`;
      }
      const listed = (values: unknown[]) =>
        sql<SqlBool>`coalesce(${JSON.stringify(values)}::jsonb @> ${value}, false)`;
      return condition.values
        ? listed(condition.values)
        : sql<SqlBool>`NOT ${listed(condition.exclude_values ?? [])}`;
    }),
  );
}

type ValuesFilter = NonNullable<ArchiveFilters['tags']>;

/** `tags`/`agents` over a JSON array of strings: `exists`, any/every of `values`, or none of. */
function arrayCondition(
  array: RawBuilder<unknown>,
  filter: ValuesFilter,
  exists: Condition,
): Condition {
  if (filter.exists !== undefined) return filter.exists ? exists : sql<SqlBool>`NOT ${exists}`;
  const values = filter.values ?? filter.exclude_values ?? [];
  const matches = filter.require_every_value
    ? sql<SqlBool>`${array} @> ${JSON.stringify(values)}::jsonb`
    : sql<SqlBool>`${array} ?| ${values}::text[]`;
  return filter.values ? matches : sql<SqlBool>`NOT ${matches}`;
}

/** The thread was tagged (or not) as the filter asks. */
export function tagsCondition(filter: ValuesFilter): Condition {
  const tags = sql`threads.tags`;
  return arrayCondition(tags, filter, sql<SqlBool>`jsonb_array_length(threads.tags) > 0`);
}

/** Agents who took part in the thread; `exists:false` = threads no agent took part in. */
export function agentsCondition(filter: ValuesFilter): Condition {
  const anyAgent = sql<SqlBool>`EXISTS (
    SELECT 1 FROM chat_users
    WHERE chat_users.organization_id = threads.organization_id
      AND chat_users.chat_id = threads.chat_id AND chat_users.user_type = 'agent'
      AND threads.user_ids @> jsonb_build_array(chat_users.user_id))`;
  return arrayCondition(sql`threads.user_ids`, filter, anyAgent);
}

const threadEvents = sql`events.organization_id = threads.organization_id
  AND events.chat_id = threads.chat_id AND events.thread_id = threads.id`;

/** Threads with events of any (or every) of the types, or with none of them. */
export function eventTypesCondition(filter: NonNullable<ArchiveFilters['event_types']>): Condition {
  const types = [...new Set(filter.values ?? filter.exclude_values ?? [])];
  const matches = filter.require_every_value
    ? sql<SqlBool>`(SELECT count(DISTINCT events.body->>'type') FROM events
        WHERE ${threadEvents} AND events.body->>'type' = ANY(${types}::text[])) = ${types.length}`
    : sql<SqlBool>`EXISTS (SELECT 1 FROM events
        WHERE ${threadEvents} AND events.body->>'type' = ANY(${types}::text[]))`;
  return filter.values ? matches : sql<SqlBool>`NOT ${matches}`;
}

/**
 * `query`: a thread with an event whose text has all the query's words (PostgreSQL full text
 * search with the `simple` configuration: no stemming, no stop words, any language).
 */
export function textCondition(query: string): Condition {
  return sql<SqlBool>`EXISTS (SELECT 1 FROM events WHERE ${threadEvents}
    AND to_tsvector('simple', coalesce(events.body->>'text', '')) @@ plainto_tsquery('simple', ${query}))`;
}

export function customerEmailCondition(email: string): Condition {
  return sql<SqlBool>`EXISTS (SELECT 1 FROM jsonb_array_elements(chats.users) AS chat_user
    WHERE chat_user->>'type' = 'customer' AND lower(chat_user->>'email') = lower(${email}))`;
}
