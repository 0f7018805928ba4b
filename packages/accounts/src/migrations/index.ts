import { type Kysely, type Migration, migrate } from '@threadline/postgres';
import type { AccountsDatabase } from '../database.ts';
import * as createAccounts from './2025_11_25_0001_create_accounts.ts';
import * as customerDetails from './2025_12_01_0001_customer_details.ts';
import * as configuration from './2025_12_01_0002_configuration.ts';
import * as agentFollows from './2026_11_25_0001_agent_follows.ts';
import * as greetings from './2026_11_26_0001_greetings.ts';
import * as botTemplates from './2026_11_27_0001_bot_templates.ts';
import * as channelsAndCompany from './2026_11_27_0002_channels_and_company.ts';
import * as greetingWindow from './2026_12_06_0001_greeting_window.ts';
import * as idempotentRequests from './2026_12_07_0001_idempotent_requests.ts';
import * as customerErasures from './2026_12_08_0001_customer_erasures.ts';
import * as tokenScopes from './2026_12_09_0001_token_scopes.ts';
import * as personalAccessTokenLifecycle from './2026_12_09_0002_personal_access_token_lifecycle.ts';

/** The Postgres schema the accounts tables live in. */
export const accountsSchema = 'accounts';

/** Every accounts migration, by name; names sort in the order they apply. */
export const accountsMigrations: Record<string, Migration> = {
  '2025_11_25_0001_create_accounts': createAccounts,
  '2025_12_01_0001_customer_details': customerDetails,
  '2025_12_01_0002_configuration': configuration,
  '2026_11_25_0001_agent_follows': agentFollows,
  '2026_11_26_0001_greetings': greetings,
  '2026_11_27_0001_bot_templates': botTemplates,
  '2026_11_27_0002_channels_and_company': channelsAndCompany,
  '2026_12_06_0001_greeting_window': greetingWindow,
  '2026_12_07_0001_idempotent_requests': idempotentRequests,
  '2026_12_08_0001_customer_erasures': customerErasures,
  '2026_12_09_0001_token_scopes': tokenScopes,
  '2026_12_09_0002_personal_access_token_lifecycle': personalAccessTokenLifecycle,
};

/** Creates the `accounts` schema and applies pending migrations (safe to run from replicas at once). */
export async function migrateAccounts(db: Kysely<AccountsDatabase>): Promise<void> {
  await migrate(db, accountsSchema, accountsMigrations);
}
