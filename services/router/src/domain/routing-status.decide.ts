import type { RoutingStatus } from './routing.decide.ts';

/**
 * Who may set whose routing status (spec §2 `set_routing_status`, §7.5). Agents and bots set
 * their own; setting another agent's needs an administrating role (LiveChat's `agents--all:rw`
 * scope, which the gateway's token carries as the role). `offline` is a bot status: an agent is
 * offline only when logged out, which the gateway tells us with `agent_disconnected`.
 */
export const administratingRoles: readonly string[] = ['owner', 'viceowner', 'administrator'];

export interface StatusRequester {
  userId: string;
  /** As in `Requester.user_type`: "agent", "bot", "customer" or "system". */
  userType: string;
  role: string;
}

export interface StatusChangeRequest {
  status: RoutingStatus;
  agentId: string | undefined;
}

export type StatusChangeDecision =
  | {
      type: 'accepted';
      agentId: string;
      status: RoutingStatus;
      /** Setting one's own status also refreshes the profile the router keeps (groups, limit). */
      bySelf: boolean;
    }
  | { type: 'rejected'; error: 'authorization' | 'validation'; message: string };

/**
 * @param targetUserType the stored user type of the agent whose status changes, when it is
 *   someone else and the router has seen them before.
 */
export function decideStatusChange(
  requester: StatusRequester,
  request: StatusChangeRequest,
  targetUserType: string | undefined,
): StatusChangeDecision {
  if (!isAgentLike(requester.userType)) {
    return reject('authorization', 'Only agents and bots have a routing status');
  }
  const agentId = request.agentId ?? requester.userId;
  const bySelf = agentId === requester.userId;
  if (!bySelf && !administratingRoles.includes(requester.role)) {
    return reject('authorization', "Not allowed to set another agent's routing status");
  }
  const userType = bySelf ? requester.userType : (targetUserType ?? 'agent');
  if (request.status === 'offline' && userType !== 'bot') {
    return reject('validation', 'Wrong format of request: status offline is allowed for bots only');
  }
  return { type: 'accepted', agentId, status: request.status, bySelf };
}

export function isAgentLike(userType: string): boolean {
  return userType === 'agent' || userType === 'bot';
}

function reject(
  error: 'authorization' | 'validation',
  message: string,
): Extract<StatusChangeDecision, { type: 'rejected' }> {
  return { type: 'rejected', error, message };
}
