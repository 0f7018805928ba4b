import type { Migration } from '@threadline/postgres';
import * as createRouting from './2025_06_01_0001_create_routing.ts';
import * as routingSettings from './2026_11_25_0001_routing_settings.ts';
import * as agentDirectory from './2026_11_25_0002_agent_directory.ts';
import * as chatLifecycle from './2026_12_05_0001_chat_lifecycle.ts';
import * as activeThreadRevision from './2026_12_06_0001_active_thread_revision.ts';
import * as membershipVersions from './2026_12_06_0002_membership_versions.ts';

/** Applied in key order; names never change once released. */
export const migrations: Record<string, Migration> = {
  '2025_06_01_0001_create_routing': createRouting,
  '2026_11_25_0001_routing_settings': routingSettings,
  '2026_11_25_0002_agent_directory': agentDirectory,
  '2026_12_05_0001_chat_lifecycle': chatLifecycle,
  '2026_12_06_0001_active_thread_revision': activeThreadRevision,
  '2026_12_06_0002_membership_versions': membershipVersions,
};
