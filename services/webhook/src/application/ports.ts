import type { PageRequest } from '@threadline/protocol';
import type { BotOwners, BotOwnershipChange } from '../domain/bot-ownership.ts';
import type { ChatSnapshot } from '../domain/chat-snapshot.ts';
import type { BreakerStatus } from '../domain/circuit-breaker.ts';
import type {
  DeliveryCursor,
  DeliveryFilters,
  LoggedDelivery,
  TimeRange,
} from '../domain/delivery-log.ts';
import type { Registration } from '../domain/registration.ts';

/** Registrations and license webhook state, scoped to an organization by every call. */
export interface RegistrationStore {
  /** Stores it unless the owner already has `limit` registrations for the action. */
  register(registration: Registration, limit: number): Promise<'registered' | 'limit_reached'>;
  list(organizationId: string, ownerClientId: string): Promise<Registration[]>;
  unregister(organizationId: string, ownerClientId: string, id: string): Promise<boolean>;
  setLicenseWebhooksEnabled(
    organizationId: string,
    ownerClientId: string,
    enabled: boolean,
  ): Promise<void>;
  isLicenseWebhooksEnabled(organizationId: string, ownerClientId: string): Promise<boolean>;
}

/** A webhook to send, as the outbox stores it. */
export interface NewDelivery {
  /** Deterministic: a redelivered batch produces the same ids, which the outbox absorbs. */
  id: string;
  registrationId: string;
  organizationId: string;
  action: string;
  url: string;
  body: string;
  /**
   * Deliveries with the same url, organization and ordering key are sent one at a time, in the
   * order they were enqueued: the chat's id for chat webhooks, `configurationOrderingKey` for
   * the organization's configuration webhooks.
   */
  orderingKey: string;
}

/** Orders an organization's configuration webhooks among themselves (no chat id is empty). */
export const configurationOrderingKey = '';

/** What fanning out one batch may read and write, all in one transaction. */
export interface FanOutUnit {
  loadSnapshot(): Promise<ChatSnapshot | undefined>;
  saveSnapshot(snapshot: ChatSnapshot): Promise<void>;
  registrationsFor(actions: readonly string[]): Promise<Registration[]>;
  enabledLicenseOwners(ownerClientIds: readonly string[]): Promise<Set<string>>;
  /** The bots among these users, with their owner clients (`chat_presence.my_bots`). */
  botOwners(userIds: readonly string[]): Promise<BotOwners>;
  /** Inserts what is new and returns how many were; wakes the delivery workers on commit. */
  enqueue(deliveries: readonly NewDelivery[]): Promise<number>;
}

export interface FanOutStore {
  /** Whether the organization has a webhook registered for any of these actions (no lock). */
  anyRegistrationFor(organizationId: string, actions: readonly string[]): Promise<boolean>;
  /** Runs `work` in a transaction that holds the chat's lock, so its snapshot folds in order. */
  inChatTransaction<T>(
    organizationId: string,
    chatId: string,
    work: (unit: FanOutUnit) => Promise<T>,
  ): Promise<T>;
}

export interface ClaimedDelivery {
  id: string;
  url: string;
  body: string;
  /** The registration's secret, which signs the timestamp and body. */
  secretKey: string;
  /** Attempts including the one just claimed. */
  attempts: number;
  createdAt: Date;
  /** The webhook action (`incoming_event`): names the attempt's span. */
  action: string;
  /** The trace the delivery was enqueued in (W3C traceparent), if any. */
  traceparent: string | null;
}

/** How many more requests each endpoint (URL) may take from this worker. */
export interface EndpointRoom {
  /** Requests this worker has in flight, by URL. */
  inFlight: ReadonlyMap<string, number>;
  /** At most this many in flight per URL. */
  limit: number;
}

/** The delivery workers' view of the outbox. */
export interface DeliveryQueue {
  /**
   * Claims up to `limit` due deliveries: counts the attempt and leases them for `leaseMs`, so no
   * other worker takes them while the request is in flight (or after this one has died, until
   * the lease runs out). Only the first pending delivery of each chain (url, organization,
   * ordering key) is claimable, never more than `endpoints` leaves room for, and nothing for an
   * endpoint whose circuit is open; a half-open one gets a single probe.
   */
  claimDue(limit: number, leaseMs: number, endpoints: EndpointRoom): Promise<ClaimedDelivery[]>;
  /**
   * Each settle call applies only if nobody claimed the delivery again in the meantime; the
   * attempt, when given, goes into the delivery log with it (a settle without a POST has none).
   */
  markDelivered(delivery: ClaimedDelivery, attempt?: AttemptRecord): Promise<void>;
  scheduleRetry(
    delivery: ClaimedDelivery,
    delayMs: number,
    error: string,
    attempt?: AttemptRecord,
  ): Promise<void>;
  markDead(delivery: ClaimedDelivery, error: string, attempt?: AttemptRecord): Promise<void>;
  /**
   * After a retry was scheduled: the later deliveries of its chain cannot go before it, so they
   * are made due no earlier than it is, and claims do not step over them until then. An
   * optimisation only: the claim keeps the order whether or not this ran.
   */
  holdChainBehind(delivery: ClaimedDelivery): Promise<void>;
}

/** The endpoints' circuit breakers, shared by every replica. */
export interface EndpointBreakers {
  /** Records an attempt's outcome; returns the change of status it caused, if any. */
  record(url: string, outcome: 'delivered' | 'failed'): Promise<BreakerChange | undefined>;
}

export interface BreakerChange {
  from: BreakerStatus;
  to: BreakerStatus;
  /** Set when the circuit opened: for how long. */
  openForMs?: number;
}

/** One POST as the delivery log keeps it; the outcome is the settle call's. */
export interface AttemptRecord {
  startedAt: Date;
  durationMs: number;
  statusCode?: number | undefined;
  error?: string | undefined;
  responseBodyPrefix?: string | undefined;
}

/**
 * `responseBodyPrefix` is at most the first KiB of the receiver's answer (empty when there was
 * none), so a failure can be explained without storing whatever a receiver chose to send.
 */
export type SendOutcome =
  | { type: 'delivered'; status: number; responseBodyPrefix: string }
  | { type: 'failed'; error: string; status?: number; responseBodyPrefix: string };

/** POSTs one webhook; never throws (failures are outcomes). */
export type SendWebhook = (request: {
  url: string;
  body: string;
  deliveryId: string;
  /** 1-based: the claimed delivery's `attempts`. */
  attempt: number;
  secretKey: string;
  timeoutMs: number;
  action: string;
  /** The trace to continue: the POST carries it on to the receiver. */
  traceparent: string | null;
}) => Promise<SendOutcome>;

/** What fanning out one configuration change reads and writes (no chat, so no chat lock). */
export interface ConfigurationFanOutUnit {
  registrationsFor(actions: readonly string[]): Promise<Registration[]>;
  /** A chat's snapshot, read only (`customer_session_fields_updated` is about one chat). */
  loadSnapshot(chatId: string): Promise<ChatSnapshot | undefined>;
  enabledLicenseOwners(ownerClientIds: readonly string[]): Promise<Set<string>>;
  botOwners(userIds: readonly string[]): Promise<BotOwners>;
  /** Inserts what is new and returns how many were; wakes the delivery workers on commit. */
  enqueue(deliveries: readonly NewDelivery[]): Promise<number>;
}

export interface ConfigurationFanOutStore {
  inTransaction<T>(
    organizationId: string,
    work: (unit: ConfigurationFanOutUnit) => Promise<T>,
  ): Promise<T>;
}

/** The service's projection of which client owns which bot (`domain/bot-ownership.ts`). */
export interface BotOwnershipStore {
  /** Idempotent, and a deletion wins over a creation whatever order they arrive in. */
  record(organizationId: string, change: BotOwnershipChange): Promise<void>;
}

/** Why a webhook URL may not be registered (its host is private, loopback, …), or undefined. */
export type CheckWebhookUrl = (url: string) => Promise<string | undefined>;

/** Whose webhooks a call may touch: the gateway always names the owner; an operator may not. */
export interface WebhookScope {
  organizationId: string;
  ownerClientId?: string | undefined;
}

/** The delivery log and the ways to send deliveries again, scoped by every call. */
export interface DeliveryLog {
  hasWebhook(scope: WebhookScope, webhookId: string): Promise<boolean>;
  /** Up to `limit` deliveries of the page's webhook after its cursor, in the page's reading order. */
  listDeliveries(
    page: PageRequest<DeliveryFilters, DeliveryCursor>,
    limit: number,
  ): Promise<LoggedDelivery[]>;
  /** Sends one delivery again under its id; false when it is out of scope or no longer kept. */
  redeliver(scope: WebhookScope, deliveryId: string): Promise<boolean>;
  /**
   * Sends the first `limit` of the webhook's kept deliveries created in `[from, to)` again, oldest
   * first; `nextFrom` is the creation time of the first one left out, if any.
   */
  replay(
    scope: WebhookScope,
    webhookId: string,
    range: TimeRange,
    limit: number,
  ): Promise<{ replayed: number; nextFrom?: string }>;
}
