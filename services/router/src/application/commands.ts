import type { CommandHandler } from '@threadline/bus';
import type { Command, Requester } from '@threadline/contracts';
import {
  formatTimestamp,
  type MethodName,
  ProtocolError,
  parsePayload,
} from '@threadline/protocol';
import { z } from 'zod';
import { groupStatus, predictAgent } from '../domain/group-status.ts';
import { departureWindowMs, queuePlaces } from '../domain/queue.ts';
import { isInChatGroups } from '../domain/routing.decide.ts';
import { decideStatusChange, isAgentLike } from '../domain/routing-status.decide.ts';
import { agentsForTransfer, transferAvailability } from '../domain/transfer.ts';
import type { AgentLossDeps } from './agent-loss.ts';
import { serveWaitingChats } from './assignments.ts';
import type { AgentProfile } from './ports.ts';

export interface CommandDeps extends AgentLossDeps {
  /** Runs work after the reply is sent; shutdown waits for it. */
  runInBackground(work: () => Promise<void>): void;
  /** How long a lost connection keeps the agent's chats (config `AGENT_DISCONNECT_GRACE_MS`). */
  disconnectGraceMs: number;
}

/**
 * The router's commands: `set_routing_status`, `list_routing_statuses`, `agent_disconnected`, and
 * the gateway's internal queries `list_group_statuses`, `get_predicted_agent`,
 * `list_agents_for_transfer` and `can_accept`.
 */
export function createCommandHandler(deps: CommandDeps): CommandHandler {
  return async (command) => {
    const requester = command.requester;
    if (!requester?.organizationId || !requester.userId) {
      throw new ProtocolError('authentication', 'The command carries no requester');
    }
    switch (command.action) {
      case 'set_routing_status':
        return setRoutingStatus(deps, command, requester);
      case 'list_routing_statuses':
        return listRoutingStatuses(deps, command, requester);
      case 'agent_connected':
        return agentConnected(deps, command, requester);
      case 'agent_disconnected':
        return agentDisconnected(deps, command, requester);
      case 'list_group_statuses':
        return listGroupStatuses(deps, command, requester);
      case 'get_predicted_agent':
        return getPredictedAgent(deps, command, requester);
      case 'list_agents_for_transfer':
        return listAgentsForTransfer(deps, command, requester);
      case 'can_accept':
        return canAccept(deps, command, requester);
      case 'get_queue_places':
        return getQueuePlaces(deps, command, requester);
      default:
        throw new ProtocolError('not_found', `Unknown router action: ${command.action}`);
    }
  };
}

async function setRoutingStatus(deps: CommandDeps, command: Command, requester: Requester) {
  const payload = readPayload('set_routing_status', command);
  const organizationId = requester.organizationId;
  const otherAgent = payload.agent_id !== undefined && payload.agent_id !== requester.userId;
  const targetUserType = otherAgent
    ? await deps.store.findAgentUserType(organizationId, payload.agent_id!)
    : undefined;
  const decision = decideStatusChange(
    { userId: requester.userId, userType: requester.userType, role: requester.role },
    { status: payload.status, agentId: payload.agent_id },
    targetUserType,
  );
  if (decision.type === 'rejected') throw new ProtocolError(decision.error, decision.message);
  const { agentId, status, bySelf } = decision;
  const profile = bySelf ? profileOf(requester) : undefined;
  const now = deps.clock.now();
  await deps.store.saveStatus(organizationId, agentId, status, profile, now);
  // A bot going offline leaves its chats like an agent signing out (spec §7.5).
  if (status === 'offline')
    await deps.sessions.markLost(organizationId, agentId, 'signed_out', now);
  await deps.pushes.routingStatusSet(organizationId, agentId, status, {
    requester,
    ...(bySelf
      ? { origin: { connectionId: requester.connectionId, requestId: requester.requestId } }
      : {}),
  });
  if (status === 'accepting_chats') {
    deps.runInBackground(() => serveWaitingChats(deps, organizationId));
  }
  return {};
}

async function listRoutingStatuses(deps: CommandDeps, command: Command, requester: Requester) {
  if (!isAgentLike(requester.userType)) {
    throw new ProtocolError('authorization', 'Only agents and bots may list routing statuses');
  }
  const payload = readPayload('list_routing_statuses', command);
  const groupIds = payload.filters?.group_ids;
  const agents = await deps.store.listAgents(requester.organizationId);
  // Group 0 is every agent's group, as in routing.
  return agents
    .filter((agent) => !groupIds || isInChatGroups(agent.groupIds, groupIds))
    .map((agent) => ({ agent_id: agent.agentId, status: agent.status }));
}

const connectedPayload = z.object({
  gateway_id: z.string().min(1).max(200),
  status: z.enum(['accepting_chats', 'not_accepting_chats']),
  reconnect: z.boolean().default(false),
});
const disconnectedPayload = z.object({
  gateway_id: z.string().min(1).max(200).optional(),
  reason: z.enum(['disconnected', 'signed_out']).default('disconnected'),
});

/**
 * Gateway, at an agent's RTM login (first connection on that gateway) `{gateway_id, status,
 * reconnect}` → `{status}`: the agent's session there begins and a pending loss is called off.
 * The status is the login's (accepting, or not when it starts away), the one the agent had before
 * their connection was lost with `reconnect`, or, when another session of theirs is live, the
 * one that session set.
 */
async function agentConnected(deps: CommandDeps, command: Command, requester: Requester) {
  if (requester.userType !== 'agent') {
    throw new ProtocolError('authorization', 'Only agents log in over RTM');
  }
  const request = readInternalPayload(connectedPayload, command);
  const { organizationId, userId } = requester;
  const { status, changed } = await deps.sessions.connect(
    organizationId,
    userId,
    request.gateway_id,
    deps.clock.now(),
    request,
    profileOf(requester),
  );
  if (changed) {
    await deps.pushes.routingStatusSet(organizationId, userId, status, {
      requester,
      origin: { connectionId: requester.connectionId, requestId: '' },
    });
  }
  if (status === 'accepting_chats') {
    deps.runInBackground(() => serveWaitingChats(deps, organizationId));
  }
  return { status };
}

/**
 * Gateway, when an agent's last RTM connection on it closed `{gateway_id, reason}`: with no
 * session left anywhere the agent is offline (spec §7.5) and their chats are handed on, at once
 * after a logout (`signed_out`), after the grace period when the connection was lost.
 */
async function agentDisconnected(deps: CommandDeps, command: Command, requester: Requester) {
  if (!isAgentLike(requester.userType)) {
    throw new ProtocolError('authorization', 'Only agents and bots disconnect from routing');
  }
  const { gateway_id: gatewayId, reason } = readInternalPayload(disconnectedPayload, command);
  const { organizationId, userId } = requester;
  const now = deps.clock.now();
  const graceMs = reason === 'signed_out' ? 0 : deps.disconnectGraceMs;
  const { wentOffline } = await deps.sessions.disconnect(organizationId, userId, gatewayId, now, {
    reason,
    at: new Date(now.getTime() + graceMs),
  });
  // The router takes the agent offline (the gateway only reports the connection gone): `system`.
  if (wentOffline) await deps.pushes.routingStatusSet(organizationId, userId, 'offline', {});
  return {};
}

const groupIdsQuery = z.object({ group_ids: z.array(z.number().int().min(0)).max(500) });
const groupQuery = z.object({ group_id: z.number().int().min(0) });

/** Gateway query `{group_ids}` → `{groups_status: {"<id>": online|online_for_queue|offline}}`. */
async function listGroupStatuses(deps: CommandDeps, command: Command, requester: Requester) {
  const { group_ids } = readInternalPayload(groupIdsQuery, command);
  const agents = await deps.store.inOrganization(requester.organizationId, (routing) =>
    routing.agentCandidates(),
  );
  return {
    groups_status: Object.fromEntries(group_ids.map((id) => [String(id), groupStatus(agents, id)])),
  };
}

/**
 * Gateway query `{group_id}` → `{agent_id}`: who routing would pick for a chat of the group now
 * (nothing is assigned); `group_offline` / `group_unavailable` when nobody could take it.
 */
async function getPredictedAgent(deps: CommandDeps, command: Command, requester: Requester) {
  const { group_id } = readInternalPayload(groupQuery, command);
  const agents = await deps.store.inOrganization(requester.organizationId, (routing) =>
    routing.agentCandidates(),
  );
  const prediction = predictAgent(agents, group_id);
  if (prediction.type === 'agent') return { agent_id: prediction.agentId };
  throw new ProtocolError(
    prediction.type,
    prediction.type === 'group_offline'
      ? `Group ${group_id} is offline`
      : `No agent of group ${group_id} can take a chat now`,
  );
}

/**
 * Gateway query `{group_ids}` (the chat's, read from chat-store as the requester, which is how
 * the requester's right to see the chat is checked) → `[{agent_id, total_active_chats}]`.
 */
async function listAgentsForTransfer(deps: CommandDeps, command: Command, requester: Requester) {
  const { group_ids } = readInternalPayload(groupIdsQuery, command);
  const agents = await deps.store.inOrganization(requester.organizationId, (routing) =>
    routing.agentCandidates(),
  );
  return agentsForTransfer(agents, group_ids);
}

const canAcceptQuery = z.union([
  z.object({ agent_ids: z.array(z.string().min(1)).min(1).max(100) }),
  z.object({ group_ids: z.array(z.number().int().min(0)).max(500) }),
]);

/**
 * Gateway query before transfer_chat `{agent_ids}` or `{group_ids}` → `{}` when someone there can
 * take a chat now, else `agent_offline` / `group_offline` / `group_unavailable`.
 */
async function canAccept(deps: CommandDeps, command: Command, requester: Requester) {
  const query = readInternalPayload(canAcceptQuery, command);
  const agents = await deps.store.inOrganization(requester.organizationId, (routing) =>
    routing.agentCandidates(),
  );
  const availability = transferAvailability(
    agents,
    'agent_ids' in query ? { agentIds: query.agent_ids } : { groupIds: query.group_ids },
  );
  if (availability === 'available') return {};
  throw new ProtocolError(
    availability,
    availability === 'agent_offline'
      ? 'No target agent can take the chat now'
      : 'No agent of the target groups can take the chat now',
  );
}

const queueQuery = z.object({ chat_ids: z.array(z.string().min(1)).max(200) });

/**
 * chat-store, for views of active threads nobody carries `{chat_ids}` →
 * `{places: {"<chat_id>": {thread_id, position, wait_time, queued_at}}}`: the waiting ones among
 * them, where they stand now (spec §5.2 `thread.queue`).
 */
async function getQueuePlaces(deps: CommandDeps, command: Command, requester: Requester) {
  const { chat_ids } = readInternalPayload(queueQuery, command);
  const now = deps.clock.now().getTime();
  const { waiting, departures } = await deps.store.queueOf(
    requester.organizationId,
    new Date(now - departureWindowMs),
  );
  const places = queuePlaces(waiting, departures, now);
  const wanted = new Set(chat_ids);
  const entries = waiting.flatMap((chat) => {
    const place = places.get(chat.chatId);
    if (!wanted.has(chat.chatId) || !place) return [];
    const queue = {
      thread_id: chat.threadId,
      position: place.position,
      wait_time: place.waitTime,
      queued_at: formatTimestamp(new Date(place.queuedAt)),
    };
    return [[chat.chatId, queue] as const];
  });
  return { places: Object.fromEntries(entries) };
}

function readInternalPayload<T>(schema: z.ZodType<T>, command: Command): T {
  let json: unknown;
  try {
    json = command.payloadJson ? JSON.parse(command.payloadJson) : {};
  } catch {
    json = undefined;
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    throw new ProtocolError(
      'validation',
      `Wrong format of request: ${result.error.issues[0]?.message}`,
    );
  }
  return result.data;
}

function profileOf(requester: Requester): AgentProfile {
  return {
    agentId: requester.userId,
    userType: requester.userType,
    name: requester.name,
    email: requester.email,
    avatar: requester.avatar,
    groupIds: requester.groupIds,
    // 0: the agent has no limit of their own; the organization's default applies.
    maxChatsCount: requester.maxChatsCount > 0 ? requester.maxChatsCount : undefined,
  };
}

function readPayload<M extends MethodName>(method: M, command: Command) {
  let json: unknown;
  try {
    json = command.payloadJson ? JSON.parse(command.payloadJson) : {};
  } catch {
    throw new ProtocolError('validation', 'Wrong format of request: payload is not JSON');
  }
  return parsePayload(method, json);
}
