import type { ChatSnapshot } from '../domain/chat-snapshot.ts';
import type { BreakerStatus } from '../domain/circuit-breaker.ts';
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
  /** Inserts what is new and returns how many were; wakes the delivery workers on commit. */
  enqueue(deliveries: readonly NewDelivery[]): Promise<number>;
}

export interface FanOutStore {
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
  /** The registration's secret, which signs the body. */
  secretKey: string;
  /** Attempts including the one just claimed. */
  attempts: number;
  createdAt: Date;
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
  /** Each settle call applies only if nobody claimed the delivery again in the meantime. */
  markDelivered(delivery: ClaimedDelivery): Promise<void>;
  scheduleRetry(delivery: ClaimedDelivery, delayMs: number, error: string): Promise<void>;
  markDead(delivery: ClaimedDelivery, error: string): Promise<void>;
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

export type SendOutcome =
  | { type: 'delivered'; status: number }
  | { type: 'failed'; error: string; status?: number };

/** POSTs one webhook; never throws (failures are outcomes). */
export type SendWebhook = (request: {
  url: string;
  body: string;
  deliveryId: string;
  secretKey: string;
  timeoutMs: number;
}) => Promise<SendOutcome>;

/** What fanning out one configuration change reads and writes (no chat, so no chat lock). */
export interface ConfigurationFanOutUnit {
  registrationsFor(actions: readonly string[]): Promise<Registration[]>;
  /** A chat's snapshot, read only (`customer_session_fields_updated` is about one chat). */
  loadSnapshot(chatId: string): Promise<ChatSnapshot | undefined>;
  enabledLicenseOwners(ownerClientIds: readonly string[]): Promise<Set<string>>;
  /** Inserts what is new and returns how many were; wakes the delivery workers on commit. */
  enqueue(deliveries: readonly NewDelivery[]): Promise<number>;
}

export interface ConfigurationFanOutStore {
  inTransaction<T>(
    organizationId: string,
    work: (unit: ConfigurationFanOutUnit) => Promise<T>,
  ): Promise<T>;
}
