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
}

type CreatedAt = ColumnType<Date, Date | undefined, never>;

export interface OrganizationTable {
  id: string;
  name: string;
  /** LiveChat shows a numeric license id next to the organization id; login returns both. */
  license_id: Generated<number>;
  created_at: CreatedAt;
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
}

export interface AgentGroupTable {
  organization_id: string;
  agent_id: string;
  group_id: number;
  priority: string;
}

export interface PersonalAccessTokenTable {
  token_hash: string;
  account_id: string;
  created_at: CreatedAt;
}

export interface ClientTable {
  id: string;
  organization_id: string;
  name: string;
  kind: string;
  created_at: CreatedAt;
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
  expires_at: Date;
  created_at: CreatedAt;
}
