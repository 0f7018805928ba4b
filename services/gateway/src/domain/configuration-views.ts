import {
  type Agent,
  type AgentPriorities,
  type Greeting,
  type Group,
  greetingDefinitionOf,
  type Tag,
} from '@threadline/accounts';
import { formatTimestamp, liveChatGreetingOf } from '@threadline/protocol';

/**
 * The Configuration API's shapes of agents, bots, groups and tags (LiveChat's samples), for
 * responses and for the `*_created` / `*_updated` pushes. Pure: accounts data in, JSON out.
 */

type Json = Record<string, unknown>;

/** Everything an agent push says (`agent_created`: "the full state … including empty fields"). */
export function agentState(agent: Agent): Json {
  return {
    id: agent.id,
    account_id: agent.accountId,
    name: agent.name,
    role: agent.role,
    avatar: agent.avatar,
    job_title: agent.jobTitle,
    mobile: agent.mobile,
    max_chats_count: agent.maxChatsCount,
    login_status: agent.loginStatus,
    awaiting_approval: agent.awaitingApproval,
    suspended: agent.suspended,
    groups: agent.groups,
    notifications: agent.notifications,
    email_subscriptions: agent.emailSubscriptions,
    work_scheduler: agent.workScheduler ?? {},
  };
}

/**
 * `get_agent` / `list_agents`: the base fields plus the `fields` asked for. LiveChat's samples
 * name the avatar `avatar` in `get_agent` and `avatar_path` in `list_agents`; both are kept.
 * `last_logout` is omitted: LiveChat omits it when no logout occurred, and Threadline keeps none.
 */
export function agentView(
  agent: Agent,
  fields: readonly string[],
  avatarKey: 'avatar' | 'avatar_path',
): Json {
  const base = {
    id: agent.id,
    account_id: agent.accountId,
    name: agent.name,
    [avatarKey]: agent.avatar,
    role: agent.role,
    login_status: agent.loginStatus,
  };
  // The `fields` a request may name are the protocol schema's; the state holds them all.
  return {
    ...base,
    ...pick(
      agentState(agent),
      fields.filter((field) => !(field in base)),
    ),
  };
}

/** Everything a bot push says. */
export function botState(bot: Agent): Json {
  return {
    id: bot.id,
    name: bot.name,
    avatar_path: bot.avatar,
    default_group_priority: bot.defaultGroupPriority ?? 'normal',
    owner_client_id: bot.ownerClientId ?? '',
    max_chats_count: bot.maxChatsCount,
    job_title: bot.jobTitle,
    type: bot.botType ?? 'chatbot',
    groups: bot.groups,
    work_scheduler: bot.workScheduler ?? {},
  };
}

/**
 * `bot_updated`: the bot's id and the fields a request changed (request field names; the avatar
 * is `avatar_path` in bot pushes).
 */
export function botUpdate(bot: Agent, changedFields: readonly string[]): Json {
  const fields = changedFields.map((field) => (field === 'avatar' ? 'avatar_path' : field));
  return { id: bot.id, ...pick(botState(bot), fields) };
}

/** `get_bot` / `list_bots`: the base fields plus the `fields` asked for. */
export function botView(bot: Agent, fields: readonly string[]): Json {
  const state = botState(bot);
  return {
    ...pick(state, ['id', 'name', 'avatar_path', 'default_group_priority', 'owner_client_id']),
    ...pick(
      state,
      (['groups', 'work_scheduler', 'job_title', 'max_chats_count'] as const).filter((field) =>
        fields.includes(field),
      ),
    ),
    ...(fields.includes('timezone') ? { timezone: bot.workScheduler?.timezone ?? '' } : {}),
  };
}

/** A group as `get_group` / `list_groups` and the group pushes show it. */
export function groupView(
  group: Group,
  extra: {
    agentPriorities?: AgentPriorities | undefined;
    routingStatus?: GroupRoutingStatus | undefined;
  } = {},
): Json {
  return {
    id: group.id,
    name: group.name,
    language_code: group.languageCode,
    ...(extra.agentPriorities ? { agent_priorities: extra.agentPriorities } : {}),
    ...(extra.routingStatus ? { routing_status: extra.routingStatus } : {}),
  };
}

/**
 * A greeting as `get_greeting` / `list_greetings` show it: LiveChat's shape, then what Threadline
 * adds: the greeting's agent, the event customers receive (with its properties, which LiveChat's
 * shape has no place for), the author and the times.
 */
export function greetingView(greeting: Greeting): Json {
  const definition = greetingDefinitionOf(greeting);
  return {
    id: greeting.id,
    ...liveChatGreetingOf(definition),
    ...(definition.agent_id !== undefined ? { agent_id: definition.agent_id } : {}),
    event: definition.event,
    author_id: greeting.authorId,
    created_at: formatTimestamp(greeting.createdAt),
    updated_at: formatTimestamp(greeting.updatedAt),
  };
}

export function tagView(tag: Tag): Json {
  return {
    name: tag.name,
    group_ids: tag.groupIds,
    author_id: tag.authorId,
    created_at: formatTimestamp(tag.createdAt),
  };
}

export type GroupRoutingStatus = 'accepting_chats' | 'not_accepting_chats' | 'offline';

/**
 * A group's routing status from its members' (LiveChat's `groups_status_updated` values): accepting
 * when any member accepts chats, not accepting when members are logged in but none accepts,
 * offline when none is logged in.
 */
export function groupRoutingStatus(
  memberIds: Iterable<string>,
  statusByAgent: ReadonlyMap<string, string>,
): GroupRoutingStatus {
  let loggedIn = false;
  for (const id of memberIds) {
    const status = statusByAgent.get(id);
    if (status === 'accepting_chats') return 'accepting_chats';
    if (status === 'not_accepting_chats') loggedIn = true;
  }
  return loggedIn ? 'not_accepting_chats' : 'offline';
}

/** The keys of `source` that are named, in that order. */
export function pick(source: Json, keys: readonly string[]): Json {
  return Object.fromEntries(keys.filter((key) => key in source).map((key) => [key, source[key]]));
}
