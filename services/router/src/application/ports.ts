import type { ConfigurationEvent } from '../domain/agent-directory.ts';
import type {
  AgentLoad,
  ChatToRoute,
  RoutingStatus,
  WaitingChat,
} from '../domain/routing.decide.ts';
import type { RoutingSettings } from '../domain/routing-settings.ts';

/**
 * What the router stores of an agent, refreshed each time the agent sets their own status. Groups
 * and limit only fill in for agents the configuration stream has not described (it knows the
 * group priorities too, and is ordered).
 */
export interface AgentProfile {
  agentId: string;
  userType: string;
  name: string;
  email: string;
  avatar: string;
  groupIds: number[];
  /** Undefined: the organization's default. */
  maxChatsCount: number | undefined;
}

export interface AgentCandidate extends AgentLoad {
  name: string;
  email: string;
  avatar: string;
}

export interface ThreadAssignment {
  agentId: string;
  routed: boolean;
  confirmed: boolean;
  assignedAt: Date;
}

/** An assignment chat-store has yet to carry out (or confirm). */
export interface AssignmentToDeliver {
  organizationId: string;
  chatId: string;
  threadId: string;
  agent: { id: string; name: string; email: string; avatar: string };
  /** When the router decided: also the command's `issued_at`, the same on every retry. */
  assignedAt: Date;
}

/**
 * Routing state of one organization, used inside a transaction that holds the organization's
 * lock: everything read here stays true until the work commits, across replicas.
 */
export interface OrganizationRouting {
  /** The routing settings in force for the organization or one of its groups (defaults if none). */
  settings(groupId?: number): Promise<RoutingSettings>;
  /** Agents accepting chats (not suspended nor deleted), with their effective limit. */
  agentCandidates(): Promise<AgentCandidate[]>;
  /** Any agent of the organization, whatever their status. */
  findAgent(agentId: string): Promise<AgentCandidate | undefined>;
  assignmentsOfThread(chatId: string, threadId: string): Promise<ThreadAssignment[]>;
  /** False when the row (or another routed row for the thread) already exists. */
  recordAssignment(assignment: {
    chatId: string;
    threadId: string;
    agentId: string;
    routed: boolean;
    confirmed: boolean;
    at: Date;
  }): Promise<boolean>;
  confirmAssignment(chatId: string, threadId: string, agentId: string): Promise<void>;
  removeUnconfirmedAssignment(chatId: string, threadId: string, agentId: string): Promise<void>;
  /** Returns how many assignments (slots) were freed. */
  removeUserFromChat(chatId: string, userId: string): Promise<number>;
  /** Who served each chat's last closed thread (for `prefer_recent_agent`), by chat id. */
  recentAgentsOf(chatIds: readonly string[]): Promise<Map<string, string>>;
  /**
   * Forgets the thread's assignments and queue place, remembers it closed and who served it
   * last. Returns the freed slots.
   */
  closeThread(chatId: string, threadId: string, at: Date): Promise<number>;
  isThreadClosed(chatId: string, threadId: string): Promise<boolean>;
  waitingChats(): Promise<WaitingChat[]>;
  isWaiting(chatId: string, threadId: string): Promise<boolean>;
  enqueue(chat: ChatToRoute, at: Date): Promise<void>;
  dequeue(chatId: string, threadId: string): Promise<void>;
}

export interface RoutingStore {
  /** Runs `work` in one transaction under the organization's advisory lock. */
  inOrganization<T>(
    organizationId: string,
    work: (routing: OrganizationRouting) => Promise<T>,
  ): Promise<T>;
  findAgentUserType(organizationId: string, agentId: string): Promise<string | undefined>;
  /** Sets the status; with a profile also refreshes it (and creates the agent if new). */
  saveStatus(
    organizationId: string,
    agentId: string,
    status: RoutingStatus,
    profile: AgentProfile | undefined,
    at: Date,
  ): Promise<void>;
  listAgents(
    organizationId: string,
  ): Promise<{ agentId: string; status: RoutingStatus; groupIds: number[] }[]>;
  confirmAssignment(
    organizationId: string,
    chatId: string,
    threadId: string,
    agentId: string,
  ): Promise<void>;
  /** Unconfirmed assignments last tried before `triedBefore`, marked as tried `now` (claimed). */
  claimUnconfirmedAssignments(
    triedBefore: Date,
    now: Date,
    limit: number,
  ): Promise<AssignmentToDeliver[]>;
  organizationsWithWaitingChats(): Promise<string[]>;
  countWaitingChats(): Promise<number>;
  pruneClosedThreads(closedBefore: Date): Promise<number>;
}

export type AssignOutcome =
  | { type: 'assigned' }
  /** The thread closed before the agent could be added: nothing to assign any more. */
  | { type: 'thread_inactive' }
  /** chat-store refused for a reason a retry will not change. */
  | { type: 'refused'; reason: string }
  /** chat-store did not answer, or answered that it could not now: try again later. */
  | { type: 'unavailable'; reason: string };

export interface ChatStorePort {
  assignAgent(assignment: AssignmentToDeliver): Promise<AssignOutcome>;
}

export interface PushPort {
  routingStatusSet(
    organizationId: string,
    agentId: string,
    status: RoutingStatus,
    origin: { connectionId: string; requestId: string } | undefined,
  ): void;
}

export interface RoutingMetrics {
  assignment(outcome: 'assigned' | 'queued' | 'dropped' | 'retry'): void;
}

export interface Clock {
  now(): Date;
}

/**
 * The routing settings in force: the organization's, or a group's (its own fields over the
 * organization's). Defaults when nothing was ever set, so callers never handle "no settings".
 */
export interface RoutingSettingsPort {
  of(organizationId: string, groupId?: number): Promise<RoutingSettings>;
}

/** Keeps the router's view of the organization's agents and settings from configuration changes. */
export interface AgentDirectoryPort {
  /**
   * Applies one change (stream position `position`) under the organization's lock. False when a
   * change at this or a later position was applied already (redelivery).
   */
  apply(organizationId: string, position: number, event: ConfigurationEvent): Promise<boolean>;
}
