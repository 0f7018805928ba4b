import type { Migration } from '@threadline/postgres';
import * as createProjections from './2025_11_25_0001_create_projections.ts';
import * as chatActivity from './2025_12_01_0001_chat_activity.ts';
import * as eventSearch from './2025_12_06_0001_event_search.ts';

/** chat-store's migrations, applied in name order by `migrate` at startup. */
export const migrations: Record<string, Migration> = {
  '2025_11_25_0001_create_projections': createProjections,
  '2025_12_01_0001_chat_activity': chatActivity,
  '2025_12_06_0001_event_search': eventSearch,
};
