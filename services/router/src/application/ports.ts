import type { Requester } from '@threadline/contracts';
import type { ConfigurationEvent } from '../domain/agent-directory.ts';
import type { AgentLossReason } from '../domain/agent-loss.decide.ts';
import type { QueueDeparture, QueuePlace } from '../domain/queue.ts';
import type {
  AgentLoad,
  ChatToRoute,
  RoutingStatus,
  WaitingChat,
} from '../domain/routing.decide.ts';
import type { RoutingSettings } from '../domain/routing-settings.ts';
import type { FiredTimer, ThreadActivity, TimerSettings } from '../domain/thread-timers.ts';

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
    /** The chat's version the assignment answers (see `RoutingSignal`); none from the queue. */
    version?: number | undefined;
  }): Promise<boolean>;
  /** Marks it delivered; `version`: the batch that showed the agent in the thread. */
  confirmAssignment(
    chatId: string,
    threadId: string,
    agentId: string,
    version?: number,
  ): Promise<void>;
  removeUnconfirmedAssignment(chatId: string, threadId: string, agentId: string): Promise<void>;
  /**
   * The user left the chat at `version`: their assignments from before it end (one from a later
   * join stays), and the departure is remembered. Returns how many slots were freed.
   */
  removeUserFromChat(chatId: string, userId: string, version?: number): Promise<number>;
  /** Whether the agent left the chat at `version` or later (a join of `version` is stale). */
  leftSince(chatId: string, agentId: string, version: number): Promise<boolean>;
  /**
   * As of `version` nobody is in the thread (a transfer to groups): every assignment from before
   * it ends, as a departure at `version`. Returns how many slots were freed.
   */
  emptyThread(chatId: string, threadId: string, version: number): Promise<number>;
  /** Who served each chat's last closed thread (for `prefer_recent_agent`), by chat id. */
  recentAgentsOf(chatIds: readonly string[]): Promise<Map<string, string>>;
  /**
   * Forgets the thread's assignments and queue place, remembers it closed and who served it
   * last. Returns the freed slots and whether it was waiting.
   */
  closeThread(
    chatId: string,
    threadId: string,
    at: Date,
    /** The chat's version that closed it: departures up to it are forgotten. */
    version?: number,
  ): Promise<{ freed: number; wasWaiting: boolean }>;
  isThreadClosed(chatId: string, threadId: string): Promise<boolean>;
  waitingChats(): Promise<WaitingChat[]>;
  isWaiting(chatId: string, threadId: string): Promise<boolean>;
  enqueue(chat: ChatToRoute, at: Date): Promise<void>;
  /**
   * Takes the thread out of the queue; `served`: an agent got it (its wait counts for
   * estimates). Answers its groups, or undefined when it was not waiting.
   */
  dequeue(
    chatId: string,
    threadId: string,
    served?: { at: Date },
  ): Promise<{ groupIds: number[] } | undefined>;
  /**
   * An agent the router is handing a thread to, until chat-store confirms (their
   * `user_added_to_chat`): counts towards their load, is never sent as an `assign_agent`.
   */
  recordPendingAssignment(
    chatId: string,
    threadId: string,
    agentId: string,
    at: Date,
  ): Promise<void>;
  /** The active threads the agent is in, with who else is, and whether a hand-over is under way. */
  threadsOfAgent(agentId: string): Promise<AgentThread[]>;
  activeThread(chatId: string): Promise<ActiveThread | undefined>;
  recordSystemCommands(commands: readonly SystemCommand[], now: Date): Promise<SystemCommand[]>;
  /** The queue's recent departures, for wait estimates. */
  queueDepartures(since: Date): Promise<QueueDeparture[]>;
  /** Stores the places last told, returning those that changed (with the thread's customer). */
  updateQueuePlaces(places: ReadonlyMap<string, QueuePlace>): Promise<ChangedQueuePlace[]>;
}

export interface AgentThread {
  chatId: string;
  threadId: string;
  groupIds: number[];
  continuous: boolean;
  otherAgentIds: string[];
  /** A hand-over of this thread is on its way already (decided, not yet confirmed). */
  handingOver: boolean;
}

export interface ChangedQueuePlace {
  chatId: string;
  threadId: string;
  groupIds: number[];
  customerId: string | undefined;
  place: QueuePlace;
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
  /** The organization's queue as it stands (no lock: a read for views), and its recent pace. */
  queueOf(
    organizationId: string,
    departuresSince: Date,
  ): Promise<{ waiting: WaitingChat[]; departures: QueueDeparture[] }>;
  /**
   * A pending hand-over chat-store did not carry out: `promote` makes it the thread's routed
   * assignment (delivered as a plain `assign_agent`), `drop` forgets it.
   */
  settlePendingAssignment(
    organizationId: string,
    chatId: string,
    threadId: string,
    agentId: string,
    how: 'promote' | 'drop',
  ): Promise<void>;
  countWaitingChats(): Promise<number>;
  pruneClosedThreads(closedBefore: Date): Promise<number>;
  pruneQueueDepartures(leftBefore: Date): Promise<number>;
}

/** What the router asks of chat-store as the system (docs/internal-contracts.md). */
export type SystemAction = 'assign_agent' | 'close_thread_for_routing' | 'unassign_agent';

export interface SystemCommand {
  organizationId: string;
  /** Derived from the decision: the same decision taken twice is one command. */
  commandId: string;
  action: SystemAction;
  payload: Record<string, unknown>;
  /** When the router decided; the same on every retry. */
  issuedAt: Date;
}

export type ChatStoreOutcome =
  | { type: 'done' }
  /** The thread closed (or another replaced it) first: nothing to do any more. */
  | { type: 'thread_inactive' }
  /** chat-store refused for a reason a retry will not change. */
  | { type: 'refused'; errorType: string; reason: string }
  /** chat-store did not answer, or answered that it could not now: try again later. */
  | { type: 'unavailable'; reason: string };

export interface ChatStorePort {
  execute(command: SystemCommand): Promise<ChatStoreOutcome>;
}

/**
 * Commands decided but not yet answered by chat-store, kept in Postgres so a decision survives a
 * crash between deciding and sending; housekeeping sends again what was not answered.
 */
export interface SystemCommandsPort {
  /** The ones not recorded before (an id already there is the same decision). */
  record(commands: readonly SystemCommand[], now: Date): Promise<SystemCommand[]>;
  /** Commands last tried before `triedBefore`, marked as tried `now` (claimed). */
  claimUndelivered(triedBefore: Date, now: Date, limit: number): Promise<SystemCommand[]>;
  settle(organizationId: string, commandId: string): Promise<void>;
  countUndelivered(): Promise<number>;
}

/** A chat's active thread as the router follows it for its timers. */
export interface ActiveThread {
  organizationId: string;
  chatId: string;
  threadId: string;
  groupIds: number[];
  customerId: string | undefined;
  continuous: boolean;
  activity: ThreadActivity;
  /** The settings of the thread's group when it started (or the settings last changed). */
  timers: TimerSettings;
}

export interface ActiveThreadChange {
  /** The thread's start, for a thread the router meets first through this change. */
  startedAt: number;
  /** The thread's groups when the change says them (start, transfer). */
  groupIds?: number[] | undefined;
  /** What the thread's start says of its customer and continuity. */
  customerId?: string | undefined;
  continuous?: boolean | undefined;
  evolve(activity: ThreadActivity): ThreadActivity;
}

export interface DueTimer extends ActiveThread {
  fired: FiredTimer;
}

export interface ActiveThreadsPort {
  /** Applies the change to the chat's active thread; a closed or older thread is left alone. */
  change(
    organizationId: string,
    chatId: string,
    threadId: string,
    change: ActiveThreadChange,
  ): Promise<void>;
  forget(organizationId: string, chatId: string, threadId: string): Promise<void>;
  /**
   * Claims timers due at `now` (across replicas, each once) and records the commands
   * `commandsFor` makes of them in the same transaction. An unanswered-chat timer is leased for a
   * minute rather than cleared: the caller hands the chat on, or it fires again.
   */
  claimDueTimers(
    now: Date,
    limit: number,
    commandsFor: (due: readonly DueTimer[]) => SystemCommand[],
  ): Promise<{ due: DueTimer[]; commands: SystemCommand[] }>;
  postponeUnanswered(
    organizationId: string,
    chatId: string,
    threadId: string,
    until: Date,
  ): Promise<void>;
  /** Takes the organization's current settings into every active thread's timers. */
  refreshTimers(organizationId: string): Promise<void>;
  find(organizationId: string, chatId: string): Promise<ActiveThread | undefined>;
}

/** What made a routing status change: who asked, and over which connection of the agent's own. */
export interface RoutingStatusCause {
  /** Absent when the router itself set it (a session lost or expired): the webhook's `system`. */
  requester?: Requester;
  /** The agent's own connection that asked: the push carries its request id there only. */
  origin?: { connectionId: string; requestId: string };
}

export interface PushPort {
  /**
   * The `routing_status_set` push, and the change recorded for its webhook (resolves once it is
   * recorded; a failure to record is the adapter's to report, not the caller's).
   */
  routingStatusSet(
    organizationId: string,
    agentId: string,
    status: RoutingStatus,
    cause: RoutingStatusCause,
  ): Promise<void>;
  /** `queue_position_updated` to each customer, `queue_positions_updated` to the chats' agents. */
  queuePlacesChanged(organizationId: string, changed: readonly ChangedQueuePlace[]): void;
  /**
   * `user_added_to_chat` to the agents of a waiting chat's groups once an agent took it (reason
   * `assigned` when routing gave it, `manual` when the agent joined by hand, as chat-store says):
   * they were told it waits (`queue_positions_updated`), so they learn it left.
   */
  takenFromQueue(organizationId: string, taken: TakenFromQueue): void;
}

export interface TakenFromQueue extends AssignmentToDeliver {
  groupIds: readonly number[];
  reason?: 'manual';
}

export interface RoutingMetrics {
  assignment(outcome: 'assigned' | 'queued' | 'dropped' | 'retry'): void;
  systemCommand(action: SystemAction, outcome: ChatStoreOutcome['type']): void;
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

/** An agent whose chats are due to be handed on, and why. */
export interface LostAgent {
  organizationId: string;
  agentId: string;
  reason: AgentLossReason;
  /** Names this loss: the hand-over commands' ids derive from it. */
  key: string;
}

/**
 * Agents' RTM sessions per gateway and what follows when the last one ends: offline at once,
 * their chats handed on after the grace period unless they come back.
 */
export interface AgentSessionsPort {
  /** A login on a gateway; the agent's status is the request's unless another session set it. */
  connect(
    organizationId: string,
    agentId: string,
    gatewayId: string,
    now: Date,
    request: { status: RoutingStatus; reconnect: boolean },
    profile: AgentProfile,
  ): Promise<{ status: RoutingStatus; changed: boolean }>;
  /** The agent's sessions on a gateway (all, without one) ended. */
  disconnect(
    organizationId: string,
    agentId: string,
    gatewayId: string | undefined,
    now: Date,
    loss: { reason: AgentLossReason; at: Date },
  ): Promise<{ wentOffline: boolean }>;
  /** Renews sessions; returns agents brought back from offline (their session had expired). */
  refresh(
    gatewayId: string,
    sessions: readonly { organizationId: string; agentId: string }[],
    now: Date,
  ): Promise<{ organizationId: string; agentId: string; status: RoutingStatus }[]>;
  /** Ends sessions no heartbeat renewed since `seenBefore`; returns the agents that went offline. */
  expire(
    seenBefore: Date,
    now: Date,
    loss: { reason: AgentLossReason; at: Date },
  ): Promise<{ organizationId: string; agentId: string }[]>;
  /** Hands the agent's chats on at `at`, unless a loss is pending already. */
  markLost(
    organizationId: string,
    agentId: string,
    reason: AgentLossReason,
    at: Date,
  ): Promise<void>;
  /** Losses due at `now`, leased until `leaseUntil` (a crash mid-way retries them). */
  claimLost(now: Date, limit: number, leaseUntil: Date): Promise<LostAgent[]>;
  clearLost(organizationId: string, agentId: string, key: string): Promise<void>;
}
