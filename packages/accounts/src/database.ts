import type { ColumnType, Generated } from 'kysely';

/**
 * The `accounts` schema, owned by the gateway. Secrets (personal access tokens, bearer tokens,
 * bot secrets, customer cookies) are stored only as SHA-256 hashes: a leaked table grants nothing.
 */
export interface AccountsDatabase {
  organizations: OrganizationTable;
  groups: GroupTable;
  agents: AgentTable;
  agent_groups: AgentGroupTable;
  personal_access_tokens: PersonalAccessTokenTable;
  clients: ClientTable;
  customers: CustomerTable;
  issued_tokens: IssuedTokenTable;
  customer_bans: CustomerBanTable;
  identity_transfers: IdentityTransferTable;
  tags: TagTable;
  property_configs: PropertyConfigTable;
  license_properties: LicensePropertyTable;
  group_properties: GroupPropertyTable;
  auto_accesses: AutoAccessTable;
  customer_follows: CustomerFollowTable;
  agent_push_notifications: AgentPushNotificationTable;
  greetings: GreetingTable;
  customer_visits: CustomerVisitTable;
  greeting_displays: GreetingDisplayTable;
  bot_templates: BotTemplateTable;
  idempotent_requests: IdempotentRequestTable;
  customer_erasures: CustomerErasureTable;
}

/** One erasure of a customer's personal data: ids and counts only, never the data itself. */
export interface CustomerErasureTable {
  id: Generated<string>;
  organization_id: string;
  customer_id: string;
  /** The agent (or `threadline-cli`, an operator) who asked for it. */
  erased_by: string;
  erased_by_type: string;
  erased_at: CreatedAt;
  key_destroyed: boolean;
  chats_reprojected: number;
  batches_reprojected: number;
  customer_record_erased: boolean;
}

type CreatedAt = ColumnType<Date, Date | undefined, never>;

export interface OrganizationTable {
  id: string;
  name: string;
  /** LiveChat shows a numeric license id next to the organization id; login returns both. */
  license_id: Generated<number>;
  created_at: CreatedAt;
  /** `update_company_details`: the fields given so far (`CompanyDetails`). */
  company_details: ColumnType<Record<string, string>, string | undefined, string>;
}

export interface GroupTable {
  organization_id: string;
  id: number;
  name: string;
  language_code: Generated<string>;
  created_at: CreatedAt;
}

export interface AgentTable {
  organization_id: string;
  /** Agents: their e-mail address; bots: 32 hex characters. */
  id: string;
  account_id: string;
  type: 'agent' | 'bot';
  name: string;
  role: string;
  max_chats_count: number;
  avatar: string;
  job_title: string;
  /** Bots only: the OAuth client that owns the bot, and the hash of the bot secret. */
  owner_client_id: string | null;
  secret_hash: string | null;
  created_at: CreatedAt;
  /** LiveChat's `login_status`: the routing status an agent starts with after login. */
  login_status: Generated<string>;
  mobile: Generated<string>;
  notifications: ColumnType<string[], string | undefined, string>;
  email_subscriptions: ColumnType<string[], string | undefined, string>;
  /** `{timezone, schedule:[{day, enabled, start, end}]}`, as the Configuration API takes it. */
  work_scheduler: ColumnType<WorkScheduler | null, string | null | undefined, string | null>;
  suspended: Generated<boolean>;
  awaiting_approval: Generated<boolean>;
  /** Bots only. */
  default_group_priority: string | null;
  bot_type: string | null;
}

export interface BotTemplateTable {
  /** 32 hex characters; a bot made from the template takes the same id. */
  id: string;
  organization_id: string;
  owner_client_id: string;
  name: string;
  avatar: string;
  max_chats_count: number;
  default_group_priority: string;
  job_title: string;
  secret_hash: string;
  created_at: CreatedAt;
}

export interface WorkScheduler {
  timezone?: string;
  schedule?: { day: string; enabled: boolean; start: string; end: string }[];
}

export interface AgentGroupTable {
  organization_id: string;
  agent_id: string;
  group_id: number;
  priority: string;
}

export interface PersonalAccessTokenTable {
  /** Names the token in lists and revocations; the secret itself is never shown again. */
  id: Generated<string>;
  token_hash: string;
  account_id: string;
  created_at: CreatedAt;
  /** Null: lives until revoked. */
  expires_at: Date | null;
}

export interface ClientTable {
  id: string;
  organization_id: string;
  name: string;
  kind: string;
  created_at: CreatedAt;
  /** When the first customer token was issued to the client: its channel's first activity. */
  first_activity_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface CustomerTable {
  id: string;
  organization_id: string;
  name: string | null;
  email: string | null;
  avatar: string | null;
  session_fields: ColumnType<SessionFields, string | undefined, string>;
  /** Hash of the `__lc_cst` cookie that lets one browser keep this identity. */
  cookie_secret_hash: string | null;
  phone_number: string | null;
  address: ColumnType<Record<string, string> | null, string | null, string | null>;
  omnichannel: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  /** The page the customer last reported (RTM login `customer_page`, `update_customer_page`). */
  last_page: ColumnType<CustomerPage | null, string | null, string | null>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export type SessionFields = Record<string, string>[];

export interface IssuedTokenTable {
  token_hash: string;
  organization_id: string;
  entity_type: 'agent' | 'bot' | 'customer';
  entity_id: string;
  client_id: string | null;
  /** Customer tokens from `/v2/customer/<organization>/<group>/token` carry their group. */
  group_id: number | null;
  /** OAuth scopes the token is limited to; null for a token with every scope of its holder. */
  scopes: ColumnType<string[] | null, string | null | undefined, string | null>;
  expires_at: Date;
  created_at: CreatedAt;
}

export interface CustomerPage {
  url: string;
  title?: string;
  opened_at: string;
}

/** `ban_customer`: the customer's logins and tokens are refused until `expires_at`. */
export interface CustomerBanTable {
  organization_id: string;
  customer_id: string;
  days: number;
  /** The agent who banned. */
  banned_by: string;
  expires_at: Date;
  /** When the ban in force began (a new ban replaces the old one). */
  created_at: ColumnType<Date, Date | undefined, Date>;
}

/** One-time tokens of `/v2/customer/identity_transfer`, redeemed by the `identity_token` grant. */
export interface IdentityTransferTable {
  token_hash: string;
  organization_id: string;
  customer_id: string;
  client_id: string;
  code_challenge: string | null;
  expires_at: Date;
}

type Json<T> = ColumnType<T, string, string>;
type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;

export interface TagTable {
  organization_id: string;
  name: string;
  group_ids: ColumnType<number[], number[] | undefined, number[]>;
  author_id: Generated<string>;
  created_at: CreatedAt;
}

/** A property's configuration, owned by a client (the property's namespace is its client id). */
export interface PropertyConfigTable {
  owner_client_id: string;
  name: string;
  organization_id: string;
  type: string;
  description: Generated<string>;
  access: Json<Record<string, Record<string, string[]>>>;
  domain: NullableJson<unknown[]>;
  range: NullableJson<{ from?: number; to?: number }>;
  default_value: NullableJson<unknown>;
  public_access: NullableJson<string[]>;
  created_at: CreatedAt;
}

export interface LicensePropertyTable {
  organization_id: string;
  namespace: string;
  name: string;
  value: Json<unknown>;
}

export interface GroupPropertyTable {
  organization_id: string;
  group_id: number;
  namespace: string;
  name: string;
  value: Json<unknown>;
}

export interface AutoAccessTable {
  organization_id: string;
  id: string;
  position: number;
  description: Generated<string>;
  access: Json<{ groups: number[] }>;
  conditions: Json<Record<string, unknown>>;
  created_at: CreatedAt;
}

/** `follow_customer` (3.4/3.5): the agents who follow a customer's changes. */
export interface CustomerFollowTable {
  organization_id: string;
  customer_id: string;
  agent_id: string;
  created_at: CreatedAt;
}

/** `change_push_notifications` (3.4): an agent's mobile devices and whether they want pushes. */
export interface AgentPushNotificationTable {
  organization_id: string;
  agent_id: string;
  firebase_token: string;
  platform: string;
  enabled: boolean;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** A greeting campaign (the Configuration API's `create_greeting`). */
export interface GreetingTable {
  id: Generated<number>;
  organization_id: string;
  name: string;
  group_id: number;
  active: boolean;
  subtype: 'greeting' | 'announcement';
  agent_id: string | null;
  addon: string | null;
  is_exit_intent: boolean;
  event: Json<Record<string, unknown>>;
  rules: Json<Record<string, unknown>>;
  active_from: Date | null;
  active_until: Date | null;
  author_id: string;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** A customer's current visit: a new one starts after 30 minutes without a login or page. */
export interface CustomerVisitTable {
  organization_id: string;
  customer_id: string;
  /** 1 for the first visit. */
  number: number;
  started_at: Date;
  seen_at: Date;
}

/** One display of a greeting to a customer (`incoming_greeting`), at most once per visit. */
export interface GreetingDisplayTable {
  unique_id: string;
  organization_id: string;
  customer_id: string;
  greeting_id: number;
  visit: number;
  /** The `incoming_greeting` payload as it was sent, so a later login shows the same. */
  payload: Json<Record<string, unknown>>;
  state: 'displayed' | 'accepted' | 'canceled';
  /** Accepted at some point (a canceled greeting may have been accepted first). */
  accepted: Generated<boolean>;
  displayed_at: Date;
}

export interface IdempotentRequestTable {
  /** Hex SHA-256 of who sent the key and the key itself. */
  id: string;
  /** Hex SHA-256 of the request's version, method and payload. */
  fingerprint: string;
  /** `{type:"result",result}` or `{type:"error",error}`; null while the first request runs. */
  outcome: ColumnType<unknown, string | null, string | null>;
  /** When a gateway started (or took over) the request. */
  claimed_at: ColumnType<Date, Date | undefined, Date>;
  expires_at: ColumnType<Date, Date, Date>;
}
