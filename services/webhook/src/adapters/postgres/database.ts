import type { ColumnType, Generated } from 'kysely';

/** The `webhook` schema. Only this service reads or writes it. */
export interface WebhookDatabase {
  registrations: RegistrationsTable;
  license_webhook_states: LicenseWebhookStatesTable;
  deliveries: DeliveriesTable;
  chat_snapshots: ChatSnapshotsTable;
  delivery_attempts: DeliveryAttemptsTable;
  endpoints: EndpointsTable;
  bot_owners: BotOwnersTable;
}

export interface RegistrationsTable {
  id: string;
  organization_id: string;
  owner_client_id: string;
  action: string;
  url: string;
  secret_key: string;
  type: 'license' | 'bot';
  description: string | null;
  filters: ColumnType<Record<string, unknown>, string, string>;
  additional_data: ColumnType<string[], string, string>;
  api_version: string;
  created_at: Generated<Date>;
}

export interface LicenseWebhookStatesTable {
  organization_id: string;
  owner_client_id: string;
  enabled: boolean;
  updated_at: Generated<Date>;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

export interface DeliveriesTable {
  id: string;
  registration_id: string;
  organization_id: string;
  action: string;
  url: string;
  /** The exact bytes POSTed, so every attempt carries the same body and signature. */
  body: string;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  status: Generated<DeliveryStatus>;
  last_error: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** When it last became pending (created, redelivered, replayed): overdue is counted from here. */
  pending_since: Generated<Date>;
  delivered_at: Date | null;
  /** The outbox's creation order (bigint, read as a string). */
  sequence: Generated<string>;
  /** Deliveries with the same url, organization and key go one at a time, by `sequence`. */
  ordering_key: string | null;
  /** The trace of the fan-out that enqueued it (W3C traceparent), when tracing was on. */
  traceparent: string | null;
}

export interface ChatSnapshotsTable {
  organization_id: string;
  chat_id: string;
  version: number;
  properties: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  user_types: ColumnType<Record<string, string>, string, string>;
}

export type AttemptOutcome = 'delivered' | 'retry' | 'dead';

/** The delivery log: one row per POST that got an outcome. */
export interface DeliveryAttemptsTable {
  id: Generated<string>;
  delivery_id: string;
  attempt: number;
  started_at: Date;
  duration_ms: number;
  outcome: AttemptOutcome;
  status_code: number | null;
  error: string | null;
  /** At most 1 KiB of what the receiver answered. */
  response_body_prefix: string | null;
}

/** One circuit breaker per webhook URL (`src/domain/circuit-breaker.ts`). */
export interface EndpointsTable {
  url: string;
  status: Generated<'closed' | 'open' | 'half_open'>;
  consecutive_failures: Generated<number>;
  openings: Generated<number>;
  retry_at: Date | null;
  revision: Generated<number>;
  updated_at: Generated<Date>;
}

/** Which client owns which bot, from the configuration stream's `bot_created` / `bot_deleted`. */
export interface BotOwnersTable {
  organization_id: string;
  bot_id: string;
  /** Null for a tombstone whose `bot_created` has not arrived (or never will). */
  owner_client_id: string | null;
  deleted: boolean;
}
