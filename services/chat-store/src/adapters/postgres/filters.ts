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
    case 'organization':
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
 * search with the `simple` configuration: no stemming, no stop words, any language), on the
 * events' stored `search_vector` (migration `2025_12_06_0001_event_search`).
 */
export function textCondition(query: string): Condition {
  return sql<SqlBool>`EXISTS (SELECT 1 FROM events WHERE ${threadEvents}
    AND events.search_vector @@ plainto_tsquery('simple', ${query}))`;
}

export function customerEmailCondition(email: string): Condition {
  return sql<SqlBool>`EXISTS (SELECT 1 FROM jsonb_array_elements(chats.users) AS chat_user
    WHERE chat_user->>'type' = 'customer' AND lower(chat_user->>'email') = lower(${email}))`;
}

/**
 * `sales`/`goals`: Threadline records neither (no goal tracking, no e-commerce), so no thread
 * has any: `exists:false` and `exclude_values` match every thread, the rest none.
 */
export function unrecordedCondition(filter: ValuesFilter): Condition {
  const matchesAll = filter.exists === false || filter.exclude_values !== undefined;
  return matchesAll ? sql<SqlBool>`true` : sql<SqlBool>`false`;
}

/** An event of the thread written by an agent of the chat (system messages have no author). */
const agentResponses = sql`FROM events JOIN chat_users AS responder
    ON responder.organization_id = events.organization_id AND responder.chat_id = events.chat_id
    AND responder.user_id = events.body->>'author_id' AND responder.user_type = 'agent'
  WHERE ${threadEvents}`;

/**
 * `agent_response`: threads an agent answered in (`exists`), by which agents (`agents`), in
 * threads of which groups (`groups`, the thread's access). With `first`, `agents` judges only
 * the thread's first agent response.
 */
export function agentResponseConditions(
  filter: NonNullable<ArchiveFilters['agent_response']>,
): Condition[] {
  const conditions: Condition[] = [];
  const any = sql<SqlBool>`EXISTS (SELECT 1 ${agentResponses})`;
  if (filter.exists !== undefined) conditions.push(filter.exists ? any : sql<SqlBool>`NOT ${any}`);
  if (filter.agents) {
    const agents = filter.agents.values ?? filter.agents.exclude_values ?? [];
    const answered = filter.first
      ? sql<SqlBool>`coalesce((SELECT events.body->>'author_id' ${agentResponses}
          ORDER BY events.event_order LIMIT 1) = ANY(${agents}::text[]), false)`
      : sql<SqlBool>`EXISTS (SELECT 1 ${agentResponses}
          AND events.body->>'author_id' = ANY(${agents}::text[]))`;
    conditions.push(filter.agents.values ? answered : sql<SqlBool>`NOT ${answered}`);
  }
  if (filter.groups) {
    const groups = filter.groups.values ?? filter.groups.exclude_values ?? [];
    const inGroups = sql<SqlBool>`threads.access_group_ids && ${groups}::integer[]`;
    conditions.push(
      filter.groups.values
        ? sql<SqlBool>`(${any} AND ${inGroups})`
        : sql<SqlBool>`(${any} AND NOT ${inGroups})`,
    );
  }
  return conditions;
}
